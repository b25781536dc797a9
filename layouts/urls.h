/*
 * Camera stream addresses, read and written: which schemes a feed can open,
 * file paths resolved against the file that names them, and credentials
 * taken out of an address (when a layout is read) and put back into it
 * (when the wall opens the feed). One module both ways, so that what is
 * encoded here decodes here to the same text.
 *
 * A stream URL keeps its text as written except that the scheme is put in
 * lower case (FFmpeg wants "rtsp", not "RTSP") and a user name and password
 * written in it (rtsp://user:password@host/...) are taken out, decoded
 * from %XX escapes, and returned beside it. Nothing here ever prints a
 * URL: messages name the camera and the scheme only.
 *
 * A password is often typed raw, with characters a URL reserves
 * ("rtsp://visor:a#b/c?d@10.0.0.5/x"). For rtsp, rtsps, http and https the
 * user name and password therefore run to the last '@' of the whole URL
 * when a host[:port] follows it and the user name ends at a ':' before the
 * first '/', '?' or '#'; otherwise to the last '@' of the authority (RFC
 * 3986). A user name or password holding '/', '?', '#', '@', '[' or ']'
 * was typed raw: it is kept as written, not %-decoded, and a warning
 * suggests a credentials entry instead.
 *
 * layout_stream_resolve() and layout_url_authority() are internal to
 * layouts/ (one load, one thread; the broker's URL is read with the
 * latter); layout_url_with_credentials() is for the wall, from any thread.
 */
#ifndef WALL_LAYOUTS_URLS_H
#define WALL_LAYOUTS_URLS_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

struct load;

struct layout_stream {
    char *url;      /* as the feed opens it: no credentials, paths resolved */
    char *username; /* from the URL, or NULL */
    char *password; /* from the URL, or NULL (also when only a user was written) */
};

/*
 * Resolves `text`, the value of the setting `at`, for the camera `label`
 * ("camera 101" or "camera 101: sub"), listed in `file`. On success fills
 * *out (owned by the caller, freed with layout_stream_finish()) and returns
 * true; otherwise reports why (unsupported scheme, no host, "file://" with
 * no path) and returns false. Warns about credentials typed raw.
 */
bool layout_stream_resolve(struct load *load, const config_setting_t *at, const char *label,
                           const char *text, const char *file, struct layout_stream *out);

void layout_stream_finish(struct layout_stream *stream);

/*
 * Reads the host[:port] that `host` starts with (what follows "scheme://"
 * and any user name and password): a name or IPv4 address of letters, digits
 * and - . _ ~ %, or an IPv6 address in brackets, then optionally ':' and
 * digits (maybe none). Sets *host_len (brackets included) and *end (just
 * after the port's digits, or after the host without a port); false when
 * no host is there. Says nothing of what follows *end.
 */
bool layout_url_authority(const char *host, size_t *host_len, size_t *end);

/*
 * `url` with `username` and, unless NULL, `password` put back into it as
 * its userinfo, %-encoded so that layout_stream_resolve() takes out exactly
 * these again: ("rtsp://10.0.0.5/x", "visor", "p@ss") gives
 * "rtsp://visor:p%40ss@10.0.0.5/x". A NULL username, or a url without
 * "://" (a file path), gives url as it is. `url` must hold no userinfo
 * (as layout_camera.url never does). Returns a new string the caller
 * frees; NULL: out of memory. The result holds the password: never log it
 * unredacted.
 */
char *layout_url_with_credentials(const char *url, const char *username, const char *password);

#endif
