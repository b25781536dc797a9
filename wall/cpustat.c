#include "wall/cpustat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"

/* utime + stime of one task, in clock ticks; its name into comm. */
static bool read_task(const char *tid, char *comm, size_t comm_size, double *ticks)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return false;
    }
    char line[1024];
    bool ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    /* "tid (comm) state ..." where comm may hold spaces and parentheses. */
    char *open = ok ? strchr(line, '(') : NULL;
    char *close = ok ? strrchr(line, ')') : NULL;
    if (!open || !close || close < open) {
        return false;
    }
    size_t len = (size_t)(close - open - 1);
    if (len >= comm_size) {
        len = comm_size - 1;
    }
    memcpy(comm, open + 1, len);
    comm[len] = '\0';
    /* Fields after comm: state(3) ... utime(14) stime(15). */
    unsigned long utime = 0, stime = 0;
    if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) !=
        2) {
        return false;
    }
    *ticks = (double)utime + (double)stime;
    return true;
}

long cpustat_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) {
        return -1;
    }
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, M_("VmRSS: %ld kB"), &kb) == 1) {
            break;
        }
    }
    fclose(f);
    return kb;
}

bool cpustat_read(struct cpu_split *out)
{
    *out = (struct cpu_split){0};
    DIR *dir = opendir("/proc/self/task");
    if (!dir) {
        return false;
    }
    double hz = (double)sysconf(_SC_CLK_TCK);
    long pid = (long)getpid();
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char comm[64];
        double ticks;
        if (!read_task(entry->d_name, comm, sizeof(comm), &ticks)) {
            continue;
        }
        double seconds = ticks / hz;
        if (strtol(entry->d_name, NULL, 10) == pid) {
            out->render += seconds;
        } else if (strncmp(comm, "feed", 4) == 0) {
            out->feed += seconds;
        } else if (strncmp(comm, "llvmpipe", 8) == 0 || strncmp(comm, "gallium", 7) == 0 ||
                   strncmp(comm, "gdrv", 4) == 0) {
            out->gl += seconds;
        } else {
            out->other += seconds;
        }
    }
    closedir(dir);
    return true;
}
