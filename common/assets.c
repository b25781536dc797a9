#include "common/assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static bool holds_assets(const char *dir)
{
    char probe[PATH_MAX];
    int n = snprintf(probe, sizeof(probe), "%s/demo.cfg", dir);
    return n > 0 && (size_t)n < sizeof(probe) && access(probe, R_OK) == 0;
}

bool assets_beside_binary(const char *relative, char *dir, size_t size)
{
    if (relative[0] == '\0') {
        return false;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0) {
        return false;
    }
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) {
        return false;
    }
    *slash = '\0';
    int n = snprintf(dir, size, "%s/%s", exe, relative);
    return n > 0 && (size_t)n < size;
}

static bool find_dir(char *dir, size_t size)
{
    const char *env = getenv("WALL_ASSETS_DIR");
    if (env && env[0] != '\0') {
        int n = snprintf(dir, size, "%s", env);
        return n > 0 && (size_t)n < size;
    }
    if (assets_beside_binary(WALL_ASSETS_FROM_BINDIR, dir, size) && holds_assets(dir)) {
        return true;
    }
    /* The source tree before the install prefix: a build run from its
     * folder shows its own demo, not one an older install left behind. */
    static const char *const fixed[] = {WALL_SOURCE_ASSETS_DIR, WALL_ASSETS_DIR};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (holds_assets(fixed[i])) {
            int n = snprintf(dir, size, "%s", fixed[i]);
            return n > 0 && (size_t)n < size;
        }
    }
    return false;
}

bool assets_path(const char *name, char *buf, size_t size)
{
    char dir[PATH_MAX];
    if (size == 0) {
        return false;
    }
    if (find_dir(dir, sizeof(dir))) {
        int n = snprintf(buf, size, "%s/%s", dir, name);
        if (n > 0 && (size_t)n < size) {
            return true;
        }
    }
    buf[0] = '\0';
    return false;
}
