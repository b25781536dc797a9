/*
 * Inside the messages module: what messages.c (topics, decoding) and
 * messages_encode.c share, so that both sides check the same rules. No
 * other file includes this.
 */
#ifndef WALL_MESSAGES_IMPL_H
#define WALL_MESSAGES_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/i18n.h"
#include "wall/messages.h"

#define MSG_N_ACTIONS (MSG_ACTION_ALARM + 1)

/* The fields each action uses, by enum msg_action. */
enum {
    MSG_USES_TILE = 1 << 0,
    MSG_USES_CAMERA = 1 << 1,
    MSG_USES_PAGE = 1 << 2,
    MSG_USES_TOUR = 1 << 3,
    MSG_USES_SECONDS = 1 << 4,
};
extern const int msg_action_uses[MSG_N_ACTIONS];

/* The smallest camera number an action accepts (an alarm needs a camera). */
int msg_camera_min(enum msg_action action);

/* How the rules read in error lines: English (N_()), _() them where used. */
extern const char msg_name_rule[];   /* names */
extern const char msg_id_rule[];     /* command ids */
extern const char msg_action_rule[]; /* "action" */

bool msg_id_valid(const char *id);

/* 1 to max bytes of well-formed UTF-8 without control characters. */
bool msg_text_valid(const char *s, size_t max);

/* Writes the error line into err (NULL-safe) and returns false. */
bool msg_fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
