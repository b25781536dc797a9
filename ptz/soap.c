#include "ptz/soap.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <libavutil/base64.h>
#include <libavutil/mem.h>
#include <libavutil/sha.h>

#define NS_WSSE "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define NS_WSU  "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
#define PASSWORD_DIGEST                                                                           \
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"          \
    "#PasswordDigest"
#define BASE64_BINARY                                                                             \
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"           \
    "#Base64Binary"
#define NONCE_SIZE 16
#define SHA1_SIZE  20

static const xmlChar *x(const char *s)
{
    return (const xmlChar *)s;
}

bool soap_request_init(struct soap_request *r, const char *ns_uri, const char *prefix,
                       const char *name)
{
    memset(r, 0, sizeof(*r));
    r->doc = xmlNewDoc(x("1.0"));
    xmlNodePtr envelope = r->doc ? xmlNewNode(NULL, x("Envelope")) : NULL;
    if (!envelope) {
        goto fail;
    }
    xmlDocSetRootElement(r->doc, envelope);
    xmlNsPtr env = xmlNewNs(envelope, x(SOAP_NS_ENV), x("s"));
    r->ns = xmlNewNs(envelope, x(ns_uri), x(prefix));
    r->schema = xmlNewNs(envelope, x(SOAP_NS_SCHEMA), x("tt"));
    if (!env || !r->ns || !r->schema) {
        goto fail;
    }
    xmlSetNs(envelope, env);
    xmlNodePtr body = xmlNewChild(envelope, env, x("Body"), NULL);
    r->action = body ? xmlNewChild(body, r->ns, x(name), NULL) : NULL;
    if (!r->action) {
        goto fail;
    }
    return true;
fail:
    soap_request_finish(r);
    return false;
}

void soap_request_finish(struct soap_request *r)
{
    xmlFreeDoc(r->doc);
    memset(r, 0, sizeof(*r));
}

xmlNodePtr soap_add(struct soap_request *r, xmlNodePtr parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, r->ns, x(name), text ? x(text) : NULL);
}

/* Base64(SHA-1(nonce + created + password)) into digest. */
static bool password_digest(const uint8_t *nonce, const char *created, const char *password,
                            char *digest, int size)
{
    struct AVSHA *sha = av_sha_alloc();
    if (!sha || av_sha_init(sha, 160) < 0) {
        av_free(sha);
        return false;
    }
    uint8_t hash[SHA1_SIZE];
    av_sha_update(sha, nonce, NONCE_SIZE);
    av_sha_update(sha, (const uint8_t *)created, strlen(created));
    av_sha_update(sha, (const uint8_t *)password, strlen(password));
    av_sha_final(sha, hash);
    av_free(sha);
    return av_base64_encode(digest, size, hash, SHA1_SIZE) != NULL;
}

bool soap_add_security(struct soap_request *r, const char *username, const char *password,
                       time_t created)
{
    uint8_t nonce[NONCE_SIZE];
    if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
        return false;
    }
    struct tm tm;
    char stamp[32], nonce64[AV_BASE64_SIZE(NONCE_SIZE)], digest[AV_BASE64_SIZE(SHA1_SIZE)];
    if (!gmtime_r(&created, &tm) ||
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 ||
        !av_base64_encode(nonce64, sizeof(nonce64), nonce, NONCE_SIZE) ||
        !password_digest(nonce, stamp, password ? password : "", digest, sizeof(digest))) {
        return false;
    }

    xmlNodePtr envelope = xmlDocGetRootElement(r->doc);
    xmlNsPtr env = envelope->ns;
    xmlNsPtr wsse = xmlNewNs(envelope, x(NS_WSSE), x("wsse"));
    xmlNsPtr wsu = xmlNewNs(envelope, x(NS_WSU), x("wsu"));
    xmlNodePtr header = xmlNewNode(env, x("Header"));
    if (!wsse || !wsu || !header) {
        xmlFreeNode(header);
        return false;
    }
    xmlAddPrevSibling(r->action->parent, header); /* a Header comes before the Body */
    xmlNodePtr security = xmlNewChild(header, wsse, x("Security"), NULL);
    xmlNodePtr token = security ? xmlNewChild(security, wsse, x("UsernameToken"), NULL) : NULL;
    if (!token || !xmlNewNsProp(security, env, x("mustUnderstand"), x("true"))) {
        return false;
    }
    xmlNodePtr user = xmlNewTextChild(token, wsse, x("Username"), x(username));
    xmlNodePtr pass = xmlNewTextChild(token, wsse, x("Password"), x(digest));
    xmlNodePtr once = xmlNewTextChild(token, wsse, x("Nonce"), x(nonce64));
    xmlNodePtr when = xmlNewTextChild(token, wsu, x("Created"), x(stamp));
    return user && pass && once && when && xmlNewProp(pass, x("Type"), x(PASSWORD_DIGEST)) &&
           xmlNewProp(once, x("EncodingType"), x(BASE64_BINARY));
}

/* -1..1 as ONVIF's xs:float, whatever the locale: "-0.2500". */
void soap_format_speed(double v, char *buf, size_t size)
{
    v = isnan(v) ? 0 : v < -1 ? -1 : v > 1 ? 1 : v;
    long q = (long)(v * 10000 + (v < 0 ? -0.5 : 0.5));
    long a = q < 0 ? -q : q;
    snprintf(buf, size, "%s%ld.%04ld", q < 0 ? "-" : "", a / 10000, a % 10000);
}

/* Milliseconds as an xs:duration: "PT5S", "PT1.5S". */
void soap_format_duration(long ms, char *buf, size_t size)
{
    long fraction = ms % 1000;
    int digits = 3;
    for (; digits > 0 && fraction % 10 == 0 && fraction; digits--) {
        fraction /= 10;
    }
    if (fraction) {
        snprintf(buf, size, "PT%ld.%0*ldS", ms / 1000, digits, fraction);
    } else {
        snprintf(buf, size, "PT%ldS", ms / 1000);
    }
}

xmlChar *soap_request_text(const struct soap_request *r, int *size)
{
    xmlChar *text = NULL;
    xmlDocDumpMemoryEnc(r->doc, &text, size, "UTF-8");
    return text;
}

bool soap_is(xmlNodePtr node, const char *ns_uri, const char *name)
{
    return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, x(name)) && node->ns &&
           xmlStrEqual(node->ns->href, x(ns_uri));
}

xmlNodePtr soap_child(xmlNodePtr parent, const char *ns_uri, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next) {
        if (soap_is(n, ns_uri, name)) {
            return n;
        }
    }
    return NULL;
}

xmlNodePtr soap_find(xmlNodePtr parent, const char *ns_uri, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (soap_is(n, ns_uri, name)) {
            return n;
        }
        xmlNodePtr below = soap_find(n, ns_uri, name);
        if (below) {
            return below;
        }
    }
    return NULL;
}

xmlNodePtr soap_body_element(xmlDocPtr doc)
{
    xmlNodePtr envelope = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!envelope || !soap_is(envelope, SOAP_NS_ENV, "Envelope")) {
        return NULL;
    }
    xmlNodePtr body = soap_child(envelope, SOAP_NS_ENV, "Body");
    for (xmlNodePtr n = body ? body->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            return n;
        }
    }
    return NULL;
}

static const char *copy_trimmed(const xmlChar *text, char *buf, size_t size)
{
    const char *s = text ? (const char *)text : "";
    while (isspace((unsigned char)*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
    return buf;
}

const char *soap_text(xmlNodePtr node, char *buf, size_t size)
{
    xmlChar *text = node ? xmlNodeGetContent(node) : NULL;
    copy_trimmed(text, buf, size);
    xmlFree(text);
    return buf;
}

const char *soap_attribute(xmlNodePtr node, const char *name, char *buf, size_t size)
{
    xmlChar *value = node ? xmlGetNoNsProp(node, x(name)) : NULL;
    copy_trimmed(value, buf, size);
    xmlFree(value);
    return buf;
}

bool soap_fault_has(xmlNodePtr fault, const char *subcode)
{
    /* Code/Value, Code/Subcode/Value, Code/Subcode/Subcode/Value... */
    xmlNodePtr code = soap_child(fault, SOAP_NS_ENV, "Code");
    for (xmlNodePtr sub = soap_child(code, SOAP_NS_ENV, "Subcode"); sub;
         sub = soap_child(sub, SOAP_NS_ENV, "Subcode")) {
        char value[128];
        soap_text(soap_child(sub, SOAP_NS_ENV, "Value"), value, sizeof(value));
        const char *colon = strrchr(value, ':'); /* a QName: the prefix is the camera's */
        if (strcmp(colon ? colon + 1 : value, subcode) == 0) {
            return true;
        }
    }
    return false;
}

const char *soap_fault_reason(xmlNodePtr fault, char *buf, size_t size)
{
    xmlNodePtr reason = soap_child(fault, SOAP_NS_ENV, "Reason");
    return soap_text(soap_child(reason, SOAP_NS_ENV, "Text"), buf, size);
}
