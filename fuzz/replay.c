/* Replays fuzz inputs without libFuzzer, so that the normal build (gcc or
 * clang, with or without sanitizers) runs every committed crash input and
 * the seed corpus as a test:
 *
 *     layout_replay FILE|DIR...
 *
 * Runs each file (a directory: its files in name order, hidden ones
 * skipped) through the target's LLVMFuzzerTestOneInput. A bug shows as a
 * crash or a sanitizer report, as under libFuzzer; exit 0 otherwise. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replayed;

static bool run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return false;
    }
    uint8_t *data = NULL;
    size_t size = 0, capacity = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            uint8_t *grown = realloc(data, capacity);
            if (!grown) {
                free(data);
                fclose(f);
                return false;
            }
            data = grown;
        }
        size_t n = fread(data + size, 1, capacity - size, f);
        if (n == 0) {
            break;
        }
        size += n;
    }
    bool ok = !ferror(f);
    fclose(f);
    if (ok) {
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
        /* Exactly the bytes, as libFuzzer passes them: a fresh heap copy. */
        uint8_t *copy = malloc(size ? size : 1);
        if (copy) {
            memcpy(copy, data, size);
            LLVMFuzzerTestOneInput(copy, size);
            free(copy);
            replayed++;
        }
    }
    free(data);
    return ok;
}

static int skip_hidden(const struct dirent *entry)
{
    return entry->d_name[0] != '.';
}

static bool run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        /* A target without regressions has no folder yet: nothing to run. */
        fprintf(stderr, "replay: %s: %s (skipped)\n", path, strerror(errno));
        return errno == ENOENT;
    }
    if (!S_ISDIR(st.st_mode)) {
        return run_file(path);
    }
    struct dirent **entries;
    int n = scandir(path, &entries, skip_hidden, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        char child[4096];
        snprintf(child, sizeof(child), "%s/%s", path, entries[i]->d_name);
        struct stat cst;
        if (stat(child, &cst) == 0 && S_ISREG(cst.st_mode) && !run_file(child)) {
            ok = false;
        }
        free(entries[i]);
    }
    free(entries);
    return ok;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    bool ok = true;
    for (int i = 1; i < argc; i++) {
        ok = run_path(argv[i]) && ok;
    }
    fprintf(stderr, "replay: %d inputs, %s\n", replayed, ok ? "no crash" : "unreadable inputs");
    return ok ? 0 : 1;
}
