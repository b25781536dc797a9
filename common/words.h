/*
 * Small string helpers shared by modules that have no better home for them.
 * Pure; any thread.
 */
#ifndef WALL_COMMON_WORDS_H
#define WALL_COMMON_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `word` is one of the space-separated words of `list` (EGL and GL
 * extension strings). A NULL list contains nothing. */
bool words_contain(const char *list, const char *word);

/* A name fit for a file name: "Av. Tulum y Cobá" -> "Av-Tulum-y-Coba".
 * Spanish letters lose their accents; every run of other characters
 * outside [A-Za-z0-9] becomes one '-'. */
void words_slug(const char *name, char *out, size_t size);

#endif
