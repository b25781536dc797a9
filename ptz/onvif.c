#include "ptz/onvif.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "common/i18n.h"
#include "common/log.h"
#include "ptz/soap.h"

#define MAX_ANSWER (1 << 20) /* bytes; no ONVIF answer we read comes near */
#define POLL_MS    1000      /* curl_multi_poll; onvif_abort() wakes it sooner */

struct answer {
    char *data;
    size_t size;
    bool too_big;
};

struct onvif {
    char *device_url, *profile_wanted, *username, *password;
    long timeout_ms, move_timeout_ms;
    CURL *curl;
    CURLM *multi; /* one easy handle at a time: a poll that onvif_abort() can wake */
    atomic_bool aborted;
    bool digest; /* the camera asked for HTTP digest authentication */
    char curl_error[CURL_ERROR_SIZE];
    /* What onvif_connect() learnt; the session's thread only. */
    bool connected;
    char *ptz_url, *media_url, *profile;
    time_t clock_offset; /* the camera's clock minus ours, seconds */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    xmlInitParser();
}

void onvif_global_init(void)
{
    pthread_once(&global_once, global_init_once);
}

const char *onvif_status_name(enum onvif_status status)
{
    static const char *const names[] = {
        [ONVIF_OK] = "ok",
        [ONVIF_TIMEOUT] = N_("timeout"),
        [ONVIF_AUTH] = N_("authentication refused"),
        [ONVIF_NO_PTZ] = N_("no PTZ"),
        [ONVIF_FAULT] = N_("fault"),
        [ONVIF_ERROR] = N_("error"),
        [ONVIF_ABORTED] = N_("aborted"),
    };
    return (unsigned)status < sizeof(names) / sizeof(names[0]) ? names[status] : "error";
}

/* Sets `why` and returns `status`. The password never reaches `why`: a
 * camera's reason text could echo what it was sent. */
static enum onvif_status fail(struct onvif *o, enum onvif_status status, char *why,
                              size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum onvif_status fail(struct onvif *o, enum onvif_status status, char *why,
                              size_t why_size, const char *fmt, ...)
{
    if (!why || why_size == 0) {
        return status;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
    log_redact_text(why);
    if (o->password && o->password[0] && strstr(why, o->password)) {
        /* The name alone, as a reason: in the operator's language. */
        snprintf(why, why_size, "%s", _(onvif_status_name(status)));
    }
    return status;
}

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
    struct answer *a = user;
    size_t len = size * n;
    if (a->size + len > MAX_ANSWER) {
        a->too_big = true;
        return 0;
    }
    char *grown = realloc(a->data, a->size + len + 1);
    if (!grown) {
        return 0;
    }
    memcpy(grown + a->size, data, len);
    a->data = grown;
    a->size += len;
    a->data[a->size] = '\0';
    return len;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct onvif *o = user;
    return atomic_load(&o->aborted) ? 1 : 0;
}

static char *copy(const char *s)
{
    return s ? strdup(s) : NULL;
}

struct onvif *onvif_open(const struct onvif_settings *settings)
{
    onvif_global_init();
    struct onvif *o = calloc(1, sizeof(*o));
    if (!o) {
        return NULL;
    }
    o->device_url = copy(settings->device_url);
    o->profile_wanted = copy(settings->profile);
    o->username = copy(settings->username);
    o->password = strdup(settings->password ? settings->password : "");
    o->timeout_ms = settings->timeout_ms > 0 ? settings->timeout_ms : ONVIF_DEFAULT_TIMEOUT_MS;
    o->move_timeout_ms = settings->move_timeout_ms;
    o->curl = curl_easy_init();
    o->multi = curl_multi_init();
    if (!o->device_url || (settings->profile && !o->profile_wanted) ||
        (settings->username && !o->username) || !o->password || !o->curl || !o->multi) {
        onvif_close(o);
        return NULL;
    }
    CURL *c = o->curl;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, M_("http,https"));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, o);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, o->curl_error);
    return o;
}

void onvif_close(struct onvif *o)
{
    if (!o) {
        return;
    }
    curl_multi_cleanup(o->multi);
    curl_easy_cleanup(o->curl);
    free(o->device_url);
    free(o->profile_wanted);
    free(o->username);
    free(o->password);
    free(o->ptz_url);
    free(o->media_url);
    free(o->profile);
    free(o);
}

void onvif_abort(struct onvif *o)
{
    atomic_store(&o->aborted, true);
    curl_multi_wakeup(o->multi);
}

/* Runs the transfer set up on o->curl to its end, or until onvif_abort(). */
static CURLcode perform(struct onvif *o)
{
    if (curl_multi_add_handle(o->multi, o->curl) != CURLM_OK) {
        return CURLE_OUT_OF_MEMORY;
    }
    CURLcode result = CURLE_ABORTED_BY_CALLBACK;
    for (bool done = false; !done && !atomic_load(&o->aborted);) {
        int running = 0, left = 0;
        if (curl_multi_perform(o->multi, &running) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
        for (CURLMsg *m; (m = curl_multi_info_read(o->multi, &left));) {
            if (m->msg == CURLMSG_DONE) {
                result = m->data.result;
                done = true;
            }
        }
        if (!done && curl_multi_poll(o->multi, NULL, 0, POLL_MS, NULL) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
    }
    curl_multi_remove_handle(o->multi, o->curl);
    return result;
}

static enum onvif_status transfer_failure(struct onvif *o, CURLcode result, char *why,
                                          size_t why_size)
{
    if (result == CURLE_ABORTED_BY_CALLBACK && atomic_load(&o->aborted)) {
        return fail(o, ONVIF_ABORTED, why, why_size, _("aborted"));
    }
    if (result == CURLE_OUT_OF_MEMORY) {
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    if (result == CURLE_OPERATION_TIMEDOUT) {
        return fail(o, ONVIF_TIMEOUT, why, why_size, _("timeout: no answer within %ld ms"),
                    o->timeout_ms);
    }
    /* Refused, unreachable, reset, TLS...: the camera cannot be reached. */
    return fail(o, ONVIF_TIMEOUT, why, why_size, _("timeout: %s"),
                o->curl_error[0] ? o->curl_error : curl_easy_strerror(result));
}

/* After a 401: whether the camera asks for HTTP digest authentication, and
 * we have not answered it yet. From then on every request answers it.
 * Only then: libcurl sends a first, empty POST to learn the challenge,
 * which a camera that wants WS-Security alone would answer with a fault;
 * and never Basic, which would send the password in clear. */
static bool answer_digest(struct onvif *o)
{
    long offered = 0;
    curl_easy_getinfo(o->curl, CURLINFO_HTTPAUTH_AVAIL, &offered);
    if (!o->username || o->digest || !(offered & CURLAUTH_DIGEST)) {
        return false;
    }
    o->digest = true;
    curl_easy_setopt(o->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_DIGEST);
    curl_easy_setopt(o->curl, CURLOPT_USERNAME, o->username);
    curl_easy_setopt(o->curl, CURLOPT_PASSWORD, o->password);
    return true;
}

/* What a parsed answer that is a Fault means. */
static enum onvif_status fault_status(struct onvif *o, xmlNodePtr fault, long http, char *why,
                                      size_t why_size)
{
    char reason[160];
    soap_fault_reason(fault, reason, sizeof(reason));
    if (http == 401 || soap_fault_has(fault, "NotAuthorized") ||
        soap_fault_has(fault, "FailedAuthentication")) {
        return reason[0]
                   ? fail(o, ONVIF_AUTH, why, why_size, _("authentication refused: %s"), reason)
                   : fail(o, ONVIF_AUTH, why, why_size, "%s", _("authentication refused"));
    }
    if (soap_fault_has(fault, "NoProfile") || soap_fault_has(fault, "NoToken") ||
        soap_fault_has(fault, "NoSuchService")) {
        /* TRANSLATORS: %s is the camera's reason, in its words. */
        return fail(o, ONVIF_NO_PTZ, why, why_size, _("no PTZ: %s"),
                    reason[0] ? reason : _("fault"));
    }
    return fail(o, ONVIF_FAULT, why, why_size, _("fault: %s"),
                reason[0] ? reason : _("no reason"));
}

/* POSTs the request to `url` with SOAP action `action`; on ONVIF_OK,
 * *answer is the element in the answer's Body (its document in *doc). */
static enum onvif_status post(struct onvif *o, const char *url, const char *action,
                              const struct soap_request *r, xmlDocPtr *doc, xmlNodePtr *answer,
                              char *why, size_t why_size)
{
    *doc = NULL;
    if (atomic_load(&o->aborted)) {
        return fail(o, ONVIF_ABORTED, why, why_size, _("aborted"));
    }
    int size = 0;
    char type[256];
    snprintf(type, sizeof(type),
             M_("Content-Type: application/soap+xml; charset=utf-8; action=\"%s\""), action);
    xmlChar *text = soap_request_text(r, &size);
    struct curl_slist *headers = curl_slist_append(NULL, type);
    struct curl_slist *all = headers ? curl_slist_append(headers, "Expect:") : NULL;
    if (!text || !all) {
        xmlFree(text);
        curl_slist_free_all(headers);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    struct answer a = {0};
    o->curl_error[0] = '\0';
    curl_easy_setopt(o->curl, CURLOPT_URL, url);
    curl_easy_setopt(o->curl, CURLOPT_POSTFIELDS, (const char *)text);
    curl_easy_setopt(o->curl, CURLOPT_POSTFIELDSIZE, (long)size);
    curl_easy_setopt(o->curl, CURLOPT_HTTPHEADER, all);
    curl_easy_setopt(o->curl, CURLOPT_WRITEDATA, &a);
    CURLcode result = perform(o);
    long http = 0;
    curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, &http);
    if (result == CURLE_OK && http == 401 && answer_digest(o)) {
        free(a.data);
        a = (struct answer){0};
        result = perform(o);
        curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, &http);
    }
    curl_easy_setopt(o->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(o->curl, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(all);
    xmlFree(text);

    enum onvif_status status = ONVIF_OK;
    if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && a.too_big)) {
        status = transfer_failure(o, result, why, why_size);
    } else if (a.too_big) {
        status = fail(o, ONVIF_ERROR, why, why_size, _("an answer of over %d bytes"), MAX_ANSWER);
    } else {
        *doc = a.size ? xmlReadMemory(a.data, (int)a.size, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                      : NULL;
        *answer = soap_body_element(*doc);
        if (*answer && soap_is(*answer, SOAP_NS_ENV, "Fault")) {
            status = fault_status(o, *answer, http, why, why_size);
        } else if (http == 401) {
            status = fail(o, ONVIF_AUTH, why, why_size, _("authentication refused (HTTP 401)"));
        } else if (http != 200) {
            status = fail(o, ONVIF_FAULT, why, why_size, _("fault: HTTP %ld"), http);
        } else if (!*answer) {
            status = fail(o, ONVIF_ERROR, why, why_size, _("error: an answer that is not SOAP"));
        }
    }
    free(a.data);
    if (status != ONVIF_OK) {
        xmlFreeDoc(*doc);
        *doc = NULL;
    } else if (why && why_size) {
        why[0] = '\0';
    }
    return status;
}

static bool secure(struct onvif *o, struct soap_request *r)
{
    /* Created in the camera's time: a skewed camera refuses ours. */
    return !o->username ||
           soap_add_security(r, o->username, o->password, time(NULL) + o->clock_offset);
}

static int number(xmlNodePtr parent, const char *name)
{
    char text[16];
    soap_text(soap_child(parent, SOAP_NS_SCHEMA, name), text, sizeof(text));
    return text[0] ? atoi(text) : -1;
}

/* GetSystemDateAndTime (unauthenticated): the camera's clock offset. */
static enum onvif_status read_clock(struct onvif *o, char *why, size_t why_size)
{
    struct soap_request r;
    if (!soap_request_init(&r, SOAP_NS_DEVICE, "tds", "GetSystemDateAndTime")) {
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    xmlDocPtr doc;
    xmlNodePtr answer;
    enum onvif_status status = post(o, o->device_url, SOAP_NS_DEVICE "/GetSystemDateAndTime", &r,
                                    &doc, &answer, why, why_size);
    soap_request_finish(&r);
    if (status != ONVIF_OK) {
        return status;
    }
    xmlNodePtr utc = soap_find(answer, SOAP_NS_SCHEMA, "UTCDateTime");
    xmlNodePtr date = soap_child(utc, SOAP_NS_SCHEMA, "Date");
    xmlNodePtr clock = soap_child(utc, SOAP_NS_SCHEMA, "Time");
    struct tm tm = {
        .tm_year = number(date, "Year") - 1900,
        .tm_mon = number(date, "Month") - 1,
        .tm_mday = number(date, "Day"),
        .tm_hour = number(clock, "Hour"),
        .tm_min = number(clock, "Minute"),
        .tm_sec = number(clock, "Second"),
    };
    xmlFreeDoc(doc);
    if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 ||
        tm.tm_sec < 0) {
        return fail(o, ONVIF_ERROR, why, why_size, _("error: no UTC time in the camera's answer"));
    }
    o->clock_offset = timegm(&tm) - time(NULL);
    return ONVIF_OK;
}

/* The service at `xaddr`'s path (and query), on the scheme, host and port
 * of the device service the wall was given: cameras behind NAT or a VPN,
 * as the C5's private cameras are, announce addresses of their own LAN
 * that the wall cannot reach. NULL when either does not parse. */
static char *rebase(const char *device_url, const char *xaddr)
{
    CURLU *device = curl_url(), *service = curl_url();
    char *path = NULL, *query = NULL, *url = NULL;
    if (device && service && curl_url_set(device, CURLUPART_URL, device_url, 0) == CURLUE_OK &&
        curl_url_set(service, CURLUPART_URL, xaddr, 0) == CURLUE_OK &&
        curl_url_get(service, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        curl_url_get(service, CURLUPART_QUERY, &query, 0);
        if (curl_url_set(device, CURLUPART_PATH, path, 0) == CURLUE_OK &&
            curl_url_set(device, CURLUPART_QUERY, query, 0) == CURLUE_OK) {
            curl_url_get(device, CURLUPART_URL, &url, 0);
        }
    }
    char *copy = url ? strdup(url) : NULL;
    curl_free(url);
    curl_free(query);
    curl_free(path);
    curl_url_cleanup(service);
    curl_url_cleanup(device);
    return copy;
}

/* The text of `parent`/tt:`category`/tt:XAddr, rebased on the device
 * service's address; NULL when absent. */
static char *xaddr(const struct onvif *o, xmlNodePtr parent, const char *category)
{
    char url[512];
    xmlNodePtr service = soap_find(parent, SOAP_NS_SCHEMA, category);
    soap_text(soap_child(service, SOAP_NS_SCHEMA, "XAddr"), url, sizeof(url));
    return url[0] ? rebase(o->device_url, url) : NULL;
}

static enum onvif_status get_capabilities(struct onvif *o, char *why, size_t why_size)
{
    struct soap_request r;
    if (!soap_request_init(&r, SOAP_NS_DEVICE, "tds", "GetCapabilities") ||
        !soap_add(&r, r.action, "Category", M_("PTZ")) ||
        !soap_add(&r, r.action, "Category", "Media") || !secure(o, &r)) {
        soap_request_finish(&r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    xmlDocPtr doc;
    xmlNodePtr answer;
    enum onvif_status status = post(o, o->device_url, SOAP_NS_DEVICE "/GetCapabilities", &r, &doc,
                                    &answer, why, why_size);
    soap_request_finish(&r);
    if (status != ONVIF_OK) {
        return status;
    }
    free(o->ptz_url);
    free(o->media_url);
    o->ptz_url = xaddr(o, answer, M_("PTZ"));
    o->media_url = xaddr(o, answer, "Media");
    xmlFreeDoc(doc);
    if (!o->ptz_url) {
        return fail(o, ONVIF_NO_PTZ, why, why_size, _("no PTZ: the camera has no PTZ service"));
    }
    if (!o->media_url && !o->profile_wanted) {
        return fail(o, ONVIF_NO_PTZ, why, why_size, _("no PTZ: the camera has no media service"));
    }
    return ONVIF_OK;
}

/* GetProfiles: the first profile with a PTZ configuration. */
static enum onvif_status find_profile(struct onvif *o, char *why, size_t why_size)
{
    struct soap_request r;
    if (!soap_request_init(&r, SOAP_NS_MEDIA, "trt", "GetProfiles") || !secure(o, &r)) {
        soap_request_finish(&r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    xmlDocPtr doc;
    xmlNodePtr answer;
    enum onvif_status status =
        post(o, o->media_url, SOAP_NS_MEDIA "/GetProfiles", &r, &doc, &answer, why, why_size);
    soap_request_finish(&r);
    if (status != ONVIF_OK) {
        return status;
    }
    char token[128] = "";
    for (xmlNodePtr p = answer->children; p && !token[0]; p = p->next) {
        if (soap_is(p, SOAP_NS_MEDIA, "Profiles") &&
            soap_child(p, SOAP_NS_SCHEMA, "PTZConfiguration")) {
            soap_attribute(p, "token", token, sizeof(token));
        }
    }
    xmlFreeDoc(doc);
    free(o->profile);
    o->profile = token[0] ? strdup(token) : NULL;
    if (!token[0]) {
        return fail(o, ONVIF_NO_PTZ, why, why_size, _("no PTZ: no media profile has PTZ"));
    }
    return o->profile ? ONVIF_OK : fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
}

enum onvif_status onvif_connect(struct onvif *o, char *why, size_t why_size)
{
    o->connected = false;
    enum onvif_status status = read_clock(o, why, why_size);
    if (status == ONVIF_TIMEOUT || status == ONVIF_ABORTED) {
        return status;
    }
    if (status != ONVIF_OK) {
        o->clock_offset = 0; /* a camera that keeps its clock to itself: trust ours */
    }
    status = get_capabilities(o, why, why_size);
    if (status == ONVIF_OK && o->profile_wanted) {
        free(o->profile);
        o->profile = strdup(o->profile_wanted);
        status = o->profile ? ONVIF_OK : fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    } else if (status == ONVIF_OK) {
        status = find_profile(o, why, why_size);
    }
    o->connected = status == ONVIF_OK;
    return status;
}

/* A PTZ request `name` for the session's profile, connected first when
 * needed. */
static enum onvif_status begin(struct onvif *o, struct soap_request *r, const char *name,
                               char *why, size_t why_size)
{
    if (atomic_load(&o->aborted)) {
        return fail(o, ONVIF_ABORTED, why, why_size, _("aborted"));
    }
    if (!o->connected) {
        enum onvif_status status = onvif_connect(o, why, why_size);
        if (status != ONVIF_OK) {
            return status;
        }
    }
    if (!soap_request_init(r, SOAP_NS_PTZ, "tptz", name) ||
        !soap_add(r, r->action, "ProfileToken", o->profile)) {
        soap_request_finish(r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    return ONVIF_OK;
}

/* Sends a request from begin() and finishes it. With `doc` NULL the answer
 * is only checked. */
static enum onvif_status send_ptz(struct onvif *o, struct soap_request *r, const char *name,
                                  xmlDocPtr *doc, xmlNodePtr *answer, char *why, size_t why_size)
{
    char action[128];
    snprintf(action, sizeof(action), "%s/%s", SOAP_NS_PTZ, name);
    xmlDocPtr kept = NULL;
    xmlNodePtr element = NULL;
    enum onvif_status status = secure(o, r)
                                   ? post(o, o->ptz_url, action, r, &kept, &element, why, why_size)
                                   : fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    soap_request_finish(r);
    if (status == ONVIF_TIMEOUT || status == ONVIF_AUTH || status == ONVIF_NO_PTZ) {
        o->connected = false; /* the next call asks again, and rereads the clock */
    }
    if (doc) {
        *doc = kept;
        *answer = element;
    } else {
        xmlFreeDoc(kept);
    }
    return status;
}

static bool set_speed(xmlNodePtr node, const char *name, double v)
{
    char text[32];
    soap_format_speed(v, text, sizeof(text));
    return node && xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)text);
}

enum onvif_status onvif_continuous_move(struct onvif *o, double pan, double tilt, double zoom,
                                        char *why, size_t why_size)
{
    struct soap_request r;
    enum onvif_status status = begin(o, &r, "ContinuousMove", why, why_size);
    if (status != ONVIF_OK) {
        return status;
    }
    xmlNodePtr velocity = soap_add(&r, r.action, "Velocity", NULL);
    xmlNodePtr pan_tilt =
        velocity ? xmlNewChild(velocity, r.schema, (const xmlChar *)"PanTilt", NULL) : NULL;
    xmlNodePtr lens =
        velocity ? xmlNewChild(velocity, r.schema, (const xmlChar *)"Zoom", NULL) : NULL;
    bool ok = set_speed(pan_tilt, "x", pan) && set_speed(pan_tilt, "y", tilt) &&
              set_speed(lens, "x", zoom);
    if (ok && o->move_timeout_ms > 0) {
        char duration[32];
        soap_format_duration(o->move_timeout_ms, duration, sizeof(duration));
        ok = soap_add(&r, r.action, "Timeout", duration) != NULL;
    }
    if (!ok) {
        soap_request_finish(&r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    return send_ptz(o, &r, "ContinuousMove", NULL, NULL, why, why_size);
}

enum onvif_status onvif_stop(struct onvif *o, char *why, size_t why_size)
{
    struct soap_request r;
    enum onvif_status status = begin(o, &r, "Stop", why, why_size);
    if (status != ONVIF_OK) {
        return status;
    }
    if (!soap_add(&r, r.action, "PanTilt", "true") || !soap_add(&r, r.action, "Zoom", "true")) {
        soap_request_finish(&r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    return send_ptz(o, &r, "Stop", NULL, NULL, why, why_size);
}

enum onvif_status onvif_goto_preset(struct onvif *o, const char *token, char *why, size_t why_size)
{
    struct soap_request r;
    enum onvif_status status = begin(o, &r, "GotoPreset", why, why_size);
    if (status != ONVIF_OK) {
        return status;
    }
    if (!soap_add(&r, r.action, "PresetToken", token)) {
        soap_request_finish(&r);
        return fail(o, ONVIF_ERROR, why, why_size, _("out of memory"));
    }
    return send_ptz(o, &r, "GotoPreset", NULL, NULL, why, why_size);
}

enum onvif_status onvif_get_presets(struct onvif *o, struct onvif_preset *out, int max, int *n,
                                    char *why, size_t why_size)
{
    *n = 0;
    struct soap_request r;
    enum onvif_status status = begin(o, &r, "GetPresets", why, why_size);
    xmlDocPtr doc = NULL;
    xmlNodePtr answer = NULL;
    if (status == ONVIF_OK) {
        status = send_ptz(o, &r, "GetPresets", &doc, &answer, why, why_size);
    }
    if (status != ONVIF_OK) {
        return status;
    }
    for (xmlNodePtr p = answer->children; p && *n < max; p = p->next) {
        if (soap_is(p, SOAP_NS_PTZ, "Preset")) {
            struct onvif_preset *preset = &out[(*n)++];
            soap_attribute(p, "token", preset->token, sizeof(preset->token));
            soap_text(soap_child(p, SOAP_NS_SCHEMA, "Name"), preset->name, sizeof(preset->name));
        }
    }
    xmlFreeDoc(doc);
    return ONVIF_OK;
}
