#include "layouts/replay.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "layouts/files.h"

#define MEMORY_MIN (1LL << 20) /* 1 MiB: less keeps no GOP of any camera */
#define MEMORY_MAX (1LL << 40)

struct replay_values {
    double seconds;
    const char *memory;
    const config_setting_t *zones;
    int evidence;
    const char *directory;
    double limit;
};

#define REPLAY(member) LAYOUT_AT(struct replay_values, member)

static const char *const evidence_names[] = {"shown", "main", NULL};

/* clang-format off */
static const struct layout_field replay_fields[] = {
    {.key = "seconds",   LAYOUT_NUMBER(1, 600), .unit = N_("seconds"), REPLAY(seconds)},
    {.key = "memory",    .kind = LAYOUT_FIELD_TEXT,  REPLAY(memory)},
    {.key = "zones",     .kind = LAYOUT_FIELD_VALUE, REPLAY(zones)},
    {.key = "evidence",  LAYOUT_CHOICE(evidence_names), REPLAY(evidence)},
    {.key = "directory", .kind = LAYOUT_FIELD_TEXT,  REPLAY(directory)},
    {.key = "limit",     LAYOUT_NUMBER(1, 86400), .unit = N_("seconds"), REPLAY(limit)},
    {0},
};
/* clang-format on */

/* "512M", "2G", "65536": bytes, or -1. */
static long long parse_memory(const char *text)
{
    errno = 0;
    char *end;
    double n = strtod(text, &end);
    if (errno || end == text || n <= 0) {
        return -1;
    }
    while (*end == ' ') {
        end++;
    }
    double unit = 1;
    switch (toupper((unsigned char)*end)) {
    case 'K':
        unit = 1024.0;
        break;
    case 'M':
        unit = 1024.0 * 1024;
        break;
    case 'G':
        unit = 1024.0 * 1024 * 1024;
        break;
    case '\0':
        break;
    default:
        return -1;
    }
    if (*end && end[1] && !(toupper((unsigned char)end[1]) == 'B' && !end[2]) &&
        !(toupper((unsigned char)end[1]) == 'I' && toupper((unsigned char)end[2]) == 'B' &&
          !end[3])) {
        return -1; /* "M", "MB" and "MiB" all mean 1024 x 1024 */
    }
    double bytes = n * unit;
    return bytes > (double)MEMORY_MAX ? MEMORY_MAX + 1 : (long long)bytes;
}

void layout_replay_read(struct load *load, const config_setting_t *group)
{
    const config_setting_t *setting = group ? config_setting_get_member(group, "replay") : NULL;
    if (!setting) {
        return;
    }
    struct replay_values v = {.seconds = 30, .limit = 600, .memory = "512M"};
    bool ok = layout_read_group(&load->reader, setting, (struct layout_scope){"wall.replay", "."},
                                replay_fields, &v);
    struct layout_replay *replay = &load->wall->replay;
    long long memory = parse_memory(v.memory);
    if (memory < MEMORY_MIN || memory > MEMORY_MAX) {
        const config_setting_t *at = config_setting_get_member(setting, "memory");
        layout_report(&load->reader, DIAG_ERROR, at ? at : setting,
                      "wall.replay.memory must be a size from 1M to 1024G, like \"512M\" or "
                      "\"2G\" (got \"%s\")",
                      v.memory);
        ok = false;
    }
    const struct load_subset zones = {
        .setting = "wall.replay.zones",
        .what = N_("zone"),
        .whats = N_("zones"),
        .unknown = N_("no zone named '%s'"),
        .example = "\"ssc\"",
        .if_empty = N_("leave zones out and every zone keeps a pre-roll"),
        .index = &load->zones,
        .n = load->wall->n_zones,
    };
    if (v.zones && !load_read_subset(load, v.zones, &zones, &replay->zones)) {
        ok = false;
    }
    if (!ok) {
        return;
    }
    replay->seconds = v.seconds;
    replay->memory = memory;
    replay->main_evidence = v.evidence == 1;
    replay->limit = v.limit;
    const config_setting_t *at = config_setting_get_member(setting, "directory");
    const char *dir = v.directory ? v.directory : "evidence";
    char *base =
        dir[0] == '/' ? strdup("") : layout_path_dir(load_file_of(load, at ? at : setting));
    replay->directory = base ? layout_path_join(base, dir) : NULL;
    free(base);
    if (!replay->directory) {
        load_out_of_memory(load);
    }
}
