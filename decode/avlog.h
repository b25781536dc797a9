/*
 * FFmpeg's log, routed into ours (common/log.h): one format, and URLs in
 * its messages lose their credentials.
 *
 * A message logged on a thread bound to a feed (its warnings and errors:
 * a damaged packet, a refused connection) goes to that feed's sink, which
 * names the camera and rate limits it (decode/report.h): "error while
 * decoding MB 3 4" alone names no camera, and a camera that sends garbage
 * would otherwise fill the journal. Other messages are logged as before:
 * errors at INFO, the rest at DEBUG. With WALL_LOG=debug the sink logs
 * every message whole at DEBUG.
 */
#ifndef WALL_DECODE_AVLOG_H
#define WALL_DECODE_AVLOG_H

/* Receives "h264: error while decoding MB 3 4, bytestream -5" (the
 * logging context's name, then the message, without its newline). */
typedef void avlog_sink(void *opaque, const char *text);

/* Installs the callback (av_log_set_callback). Once, at start. */
void avlog_install(void);

/* Binds the calling thread's FFmpeg warnings and errors to `sink`; NULL
 * unbinds. */
void avlog_bind_thread(avlog_sink *sink, void *opaque);

#endif
