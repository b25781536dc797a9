/*
 * ONVIF PTZ client: the few SOAP calls a wall needs to steer a PTZ dome
 * (ContinuousMove, Stop, GotoPreset, GetPresets), over libcurl, with the
 * envelopes built and the answers read by libxml2. Nothing here hand-rolls
 * HTTP or XML.
 *
 * A session is one camera's ONVIF service:
 *   - onvif_open() keeps the settings; it touches no network.
 *   - onvif_connect() (called by the first request when not yet done)
 *     reads the camera's clock (GetSystemDateAndTime, unauthenticated) so
 *     that WS-Security timestamps match the camera's time whatever the
 *     skew, asks the device service where its PTZ service is
 *     (GetCapabilities, category PTZ; the media service too when no
 *     profile is given; of the addresses it announces only the path is
 *     kept, on the scheme, host and port of `device_url`: behind NAT or a
 *     VPN a camera announces its own LAN's), and, without a profile in
 *     the settings, takes the first media profile that has a PTZ
 *     configuration (GetProfiles).
 *     A camera without a PTZ service or such a profile: ONVIF_NO_PTZ.
 *     A camera whose clock cannot be read is taken to keep ours. After a
 *     call ends in ONVIF_TIMEOUT, ONVIF_AUTH or ONVIF_NO_PTZ, the next
 *     connects again (the clock read again too).
 *   - Every call but GetSystemDateAndTime carries a WS-Security
 *     UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created +
 *     password)), a fresh random 16-byte nonce each time, when the settings
 *     have a user name. HTTP digest authentication is answered too when the
 *     server asks for it (libcurl, CURLAUTH_DIGEST), never Basic: only
 *     after a 401 that offers it (then for the rest of the session), since
 *     libcurl's digest sends an empty POST first to learn the challenge.
 *   - Speeds are ONVIF's generic velocity space, -1..1 (clamped): pan
 *     positive turns right, tilt positive up, zoom positive in.
 *
 * Every call is blocking and bounded by `timeout_ms` (connect and
 * transfer together); onvif_abort() from another thread makes the call in
 * progress, and every later one, end at once with ONVIF_ABORTED.
 *
 * Statuses: what an operator is told ("PTZ unavailable: <why>") comes
 * from `why`, which never holds the password.
 *
 * Ownership: a session owns its curl handle and copies of the settings.
 * Threads: one thread per session (the caller's worker), except
 * onvif_abort(), which any thread may call. onvif_global_init() once per
 * process before any session exists (it calls curl_global_init and
 * xmlInitParser); it is idempotent and thread-safe.
 */
#ifndef WALL_PTZ_ONVIF_H
#define WALL_PTZ_ONVIF_H

#include <stdbool.h>
#include <stddef.h>

#define ONVIF_DEFAULT_TIMEOUT_MS 2000 /* when settings.timeout_ms is 0 */

enum onvif_status {
    ONVIF_OK = 0,
    ONVIF_TIMEOUT, /* no answer within timeout_ms, or the connection failed */
    ONVIF_AUTH,    /* the camera refused the credentials (401, or a
                      NotAuthorized / FailedAuthentication fault) */
    ONVIF_NO_PTZ,  /* no PTZ service, no PTZ profile, the profile or the preset
                      token is unknown (NoProfile, NoToken, NoSuchService faults) */
    ONVIF_FAULT,   /* any other SOAP fault or HTTP error; `why` has its reason */
    ONVIF_ERROR,   /* an answer that is not ONVIF, or out of memory */
    ONVIF_ABORTED, /* onvif_abort() was called */
};

struct onvif_settings {
    const char *device_url; /* http(s)://host[:port]/onvif/device_service */
    const char *profile;    /* media profile token, or NULL: the first with PTZ */
    const char *username;   /* NULL: no WS-Security header */
    const char *password;   /* NULL: empty */
    long timeout_ms;        /* each call; 0: ONVIF_DEFAULT_TIMEOUT_MS */
    /* ContinuousMove's Timeout: the camera stops by itself this long after
     * the last move even if no Stop ever comes (the wall died, the network
     * went). 0: none sent (the camera's default). */
    long move_timeout_ms;
};

struct onvif_preset {
    char token[64];
    char name[128]; /* "" when the camera gives none */
};

struct onvif;

void onvif_global_init(void);

/* NULL only when out of memory. */
struct onvif *onvif_open(const struct onvif_settings *settings);
void onvif_close(struct onvif *o);

/* Makes every call in progress or to come return ONVIF_ABORTED. Any thread. */
void onvif_abort(struct onvif *o);

/* Resolves the PTZ service and profile (see above); the calls below do it
 * themselves when needed. Again after a failure: it retries. */
enum onvif_status onvif_connect(struct onvif *o, char *why, size_t why_size);

enum onvif_status onvif_continuous_move(struct onvif *o, double pan, double tilt, double zoom,
                                        char *why, size_t why_size);
/* Stops pan, tilt and zoom. */
enum onvif_status onvif_stop(struct onvif *o, char *why, size_t why_size);
enum onvif_status onvif_goto_preset(struct onvif *o, const char *token, char *why,
                                    size_t why_size);
/* Up to `max` presets in the camera's order; *n says how many. */
enum onvif_status onvif_get_presets(struct onvif *o, struct onvif_preset *out, int max, int *n,
                                    char *why, size_t why_size);

/* "ok", "timeout", "authentication refused", "no PTZ", "fault", "error", "aborted":
 * as written (N_() marked; _() of it says it in the locale's language). */
const char *onvif_status_name(enum onvif_status status);

#endif
