/*
 * Small string helpers shared by modules that have no better home for them.
 * Pure; any thread.
 */
#ifndef WALL_COMMON_WORDS_H
#define WALL_COMMON_WORDS_H

#include <stdbool.h>

/* Whether `word` is one of the space-separated words of `list` (EGL and GL
 * extension strings). A NULL list contains nothing. */
bool words_contain(const char *list, const char *word);

#endif
