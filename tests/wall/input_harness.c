/* The fixture and helpers of tests/wall/test_input.c; see input_harness.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>

#include "input_harness.h"

#define TOLERANCE 60 /* per channel: YUV round trip and scaling */

struct clip {
    const char *name;
    const char *source; /* lavfi graph */
};

static const struct clip clips[] = {
    {"red.mp4", "color=c=red:size=160x90:rate=25"},
    {"green.mp4", "color=c=lime:size=160x90:rate=25"},
    {"blue.mp4", "color=c=blue:size=160x90:rate=25"},
    /* Red, then a blue band from 35% to 65% of the width, then green. */
    {"band.mp4", "color=c=red:size=160x90:rate=25,drawbox=x=56:y=0:w=48:h=90:color=blue:t=fill,"
                 "drawbox=x=104:y=0:w=56:h=90:color=lime:t=fill"},
    {"yellow.mp4", "color=c=yellow:size=160x90:rate=25"},
    {"white.mp4", "color=c=white:size=160x90:rate=25"},
};

#define N_CLIPS ((int)(sizeof(clips) / sizeof(clips[0])))

/* Two zones: SSC admits ssc only, G911 guardians only. ssc-1 has a quad
 * page and a page of one row of four tiles. */
static const char layout_text[] =
    "zones = ( { id = \"ssc\"; admits = \"ssc\"; },\n"
    "          { id = \"g911\"; admits = \"guardians\"; } );\n"
    "layouts = ( { name = \"quad\"; grid = [2, 2]; gap = 4; fit = \"fill\"; },\n"
    "            { name = \"row\"; grid = [1, 4]; gap = 4; fit = \"fill\"; } );\n"
    "cameras = (\n"
    "  { number = 101; name = \"Rojo\"; main = \"red.mp4\"; },\n"
    "  { number = 102; name = \"Verde\"; main = \"green.mp4\"; },\n"
    "  { number = 103; name = \"Azul\"; main = \"blue.mp4\"; },\n"
    "  { number = 104; name = \"Banda\"; main = \"band.mp4\"; },\n"
    "  { number = 105; name = \"Amarillo\"; main = \"yellow.mp4\"; },\n"
    "  { number = 5001; name = \"Banco\"; programme = \"guardians\"; site = \"bank\";\n"
    "    main = \"white.mp4\"; }\n"
    ");\n"
    "tours = ( { name = \"ronda\"; dwell = 5; cameras = [101, 102]; } );\n"
    "outputs = (\n"
    "  { id = \"ssc-1\"; rect = [0, 0, 640, 360]; zone = \"ssc\";\n"
    "    pages = ( { layout = \"quad\"; tiles = (101, 102, 103, 104); },\n"
    "              { layout = \"row\"; tiles = (105, 0, 0, 0); } ); },\n"
    "  { id = \"g911-1\"; rect = [640, 0, 640, 360]; zone = \"g911\";\n"
    "    pages = ( { layout = \"quad\"; tiles = (5001, 0, 0, 0); } ); }\n"
    ");\n";

char harness_clip_dir[64];

/* ---- Files ---- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

int harness_write_layout(struct fixture *fx, const char *extra)
{
    size_t size = strlen(layout_text) + strlen(extra) + 1;
    char *text = malloc(size);
    assert_non_null(text);
    snprintf(text, size, "%s%s", layout_text, extra);
    write_text(fx->path, text);
    free(text);
    int lines = 0;
    for (const char *p = layout_text; *p; p++) {
        lines += *p == '\n';
    }
    return lines;
}

int harness_make_clips(void **state)
{
    snprintf(harness_clip_dir, sizeof(harness_clip_dir), "/tmp/wall-input-XXXXXX");
    assert_non_null(mkdtemp(harness_clip_dir));
    for (int i = 0; i < N_CLIPS; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i '%s' -t 2 -an "
                 "-vf format=yuv420p -c:v libx264 -pix_fmt yuv420p -crf 10 -bf 0 -g 25 "
                 "-movflags +faststart '%s/%s'",
                 clips[i].source, harness_clip_dir, clips[i].name);
        if (system(cmd) != 0) {
            fprintf(stderr, "ffmpeg with libx264 is needed to make the test clips\n");
            return -1;
        }
    }
    return 0;
}

int harness_remove_clips(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", harness_clip_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- Captured stderr (log lines) ---- */

void harness_capture_start(struct fixture *fx)
{
    fflush(stderr);
    fx->saved_stderr = dup(2);
    int fd = open(fx->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0 && fx->saved_stderr >= 0);
    dup2(fd, 2);
    close(fd);
}

/* Stops capturing; returns what was logged (free it), also echoed. */
char *harness_capture_end(struct fixture *fx)
{
    fflush(stderr);
    dup2(fx->saved_stderr, 2);
    close(fx->saved_stderr);
    fx->saved_stderr = -1;
    FILE *f = fopen(fx->log, "r");
    assert_non_null(f);
    char *text = calloc(1, 65536);
    assert_non_null(text);
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    fputs(text, stderr);
    return text;
}

int harness_count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* ---- The wall ---- */

struct layout_wall *harness_load(const char *path)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *layout = layout_load(path, &diags);
    char line[1024];
    for (int i = 0; i < diags.count; i++) {
        diag_format(&diags.items[i], line, sizeof(line));
        fprintf(stderr, "%s\n", line);
    }
    diag_list_finish(&diags);
    assert_non_null(layout);
    return layout;
}

int harness_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    snprintf(fx->path, sizeof(fx->path), "%s/wall.cfg", harness_clip_dir);
    snprintf(fx->snapshot, sizeof(fx->snapshot), "%s/snap.png", harness_clip_dir);
    snprintf(fx->log, sizeof(fx->log), "%s/stderr.log", harness_clip_dir);
    snprintf(fx->audit, sizeof(fx->audit), "%s/audit.log", harness_clip_dir);
    unlink(fx->audit);
    fx->joystick_index = -1;
    fx->saved_stderr = -1;
    write_text(fx->path, layout_text);
    struct layout_wall *layout = harness_load(fx->path);
    fx->band_tile = layout->outputs[0].pages[0].tiles[3].rect;
    fx->options = (struct wall_options){
        .headless = true,
        .settle_timeout = 10,
        .io_timeout_ms = 5000,
        .hwaccel = HWACCEL_NONE,
        .audit = fx->audit,
        .snapshot_dir = harness_clip_dir,
    };
    fx->wall = wall_create(&fx->options, layout);
    assert_non_null(fx->wall);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    *state = fx;
    return 0;
}

void harness_detach(struct fixture *fx)
{
    if (fx->joystick) {
        SDL_JoystickClose(fx->joystick);
        fx->joystick = NULL;
    }
    if (fx->joystick_index >= 0) {
        SDL_JoystickDetachVirtual(fx->joystick_index);
        fx->joystick_index = -1;
    }
}

#define STEP_PERIOD_NS 10000000L

int harness_teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->saved_stderr >= 0) {
        free(harness_capture_end(fx));
    }
    harness_detach(fx);
    wall_destroy(fx->wall);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    free(fx);
    return 0;
}

void harness_step(struct fixture *fx)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_true(wall_step(fx->wall));
    clock_gettime(CLOCK_MONOTONIC, &now);
    long spent_ns = (now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec);
    if (spent_ns < STEP_PERIOD_NS) {
        struct timespec rest = {0, STEP_PERIOD_NS - spent_ns};
        nanosleep(&rest, NULL);
    }
}

/* ---- The `tiles` reply ---- */

static const char *field(const char *object, const char *end, const char *key)
{
    char pattern[48];
    snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
    const char *p = strstr(object, pattern);
    assert_true(p && p < end);
    return p + strlen(pattern);
}

static void parse_tile(const char *object, const char *end, struct tile_info *t)
{
    *t = (struct tile_info){0};
    assert_int_equal(sscanf(field(object, end, "output"), "\"%31[^\"]\"", t->output), 1);
    assert_int_equal(sscanf(field(object, end, "state"), "\"%23[^\"]\"", t->state), 1);
    t->page = atoi(field(object, end, "page"));
    t->tile = atoi(field(object, end, "tile"));
    t->camera = atoi(field(object, end, "camera"));
    t->zoom = atof(field(object, end, "zoom"));
    t->maximized = strncmp(field(object, end, "maximized"), "true", 4) == 0;
    t->selected = strncmp(field(object, end, "selected"), "true", 4) == 0;
}

/* The visible tiles of `output`; returns how many. */
int harness_tiles_of(struct fixture *fx, const char *output, struct tile_info *out)
{
    char *reply = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&reply, &len);
    assert_non_null(f);
    wall_command(fx->wall, "tiles", f);
    fclose(f);
    assert_memory_equal(reply, "OK [", 4);
    int n = 0;
    for (const char *p = reply; (p = strchr(p, '{'));) {
        const char *end = strchr(p, '}');
        assert_non_null(end);
        struct tile_info t;
        parse_tile(p, end, &t);
        if (strcmp(t.output, output) == 0) {
            assert_true(n < MAX_TILES);
            out[n++] = t;
        }
        p = end;
    }
    free(reply);
    return n;
}

/* Tile `number` (1-based) of `output` as shown, or a zeroed one. */
struct tile_info harness_tile(struct fixture *fx, const char *output, int number)
{
    struct tile_info all[MAX_TILES];
    int n = harness_tiles_of(fx, output, all);
    for (int i = 0; i < n; i++) {
        if (all[i].tile == number) {
            return all[i];
        }
    }
    return (struct tile_info){0};
}

/* The selected tile of `output` (1-based), 0 when it is not the selected output. */
int harness_selected(struct fixture *fx, const char *output)
{
    struct tile_info all[MAX_TILES];
    int n = harness_tiles_of(fx, output, all);
    for (int i = 0; i < n; i++) {
        if (all[i].selected) {
            return all[i].tile;
        }
    }
    return 0;
}

/* ---- Keys ---- */

void harness_press(SDL_Keycode key, Uint16 mod)
{
    SDL_Event e = {.type = SDL_KEYDOWN};
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    e.key.keysym.mod = mod;
    assert_int_equal(SDL_PushEvent(&e), 1);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    assert_int_equal(SDL_PushEvent(&e), 1);
}

void harness_type_digits(const char *digits)
{
    for (const char *d = digits; *d; d++) {
        harness_press(SDLK_0 + (*d - '0'), KMOD_NONE);
    }
}

/* ---- Pixels ---- */

struct harness_picture harness_snapshot(struct fixture *fx)
{
    char line[256];
    snprintf(line, sizeof(line), "snapshot %s", fx->snapshot);
    harness_command(fx, line);

    FILE *png = fopen(fx->snapshot, "rb");
    assert_non_null(png);
    fseek(png, 0, SEEK_END);
    long size = ftell(png);
    fseek(png, 0, SEEK_SET);
    AVPacket *pkt = av_packet_alloc();
    assert_non_null(pkt);
    assert_int_equal(av_new_packet(pkt, (int)size), 0);
    assert_int_equal(fread(pkt->data, 1, (size_t)size, png), (size_t)size);
    fclose(png);

    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    AVFrame *frame = av_frame_alloc();
    assert_true(codec && ctx && frame);
    assert_int_equal(avcodec_open2(ctx, codec, NULL), 0);
    assert_int_equal(avcodec_send_packet(ctx, pkt), 0);
    assert_int_equal(avcodec_receive_frame(ctx, frame), 0);
    assert_int_equal(frame->format, AV_PIX_FMT_RGB24);

    struct harness_picture pic = {.width = frame->width, .height = frame->height};
    pic.rgb = malloc((size_t)pic.width * pic.height * 3);
    assert_non_null(pic.rgb);
    for (int y = 0; y < pic.height; y++) {
        memcpy(pic.rgb + (size_t)y * pic.width * 3,
               frame->data[0] + (size_t)y * frame->linesize[0], (size_t)pic.width * 3);
    }
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
    av_packet_free(&pkt);
    return pic;
}

/* Whether the pixel at (u, v), fractions of `rect`, is near `colour`. */
static bool pixel_is(const struct harness_picture *pic, struct layout_rect rect, double u,
                     double v, uint32_t colour)
{
    int x = rect.x + (int)(u * rect.w), y = rect.y + (int)(v * rect.h);
    const uint8_t *p = pic->rgb + ((size_t)y * pic->width + x) * 3;
    int want[3] = {(int)(colour >> 16) & 255, (int)(colour >> 8) & 255, (int)colour & 255};
    for (int c = 0; c < 3; c++) {
        if (abs(p[c] - want[c]) > TOLERANCE) {
            return false;
        }
    }
    return true;
}

/* Whether the band tile shows `left`, `centre`, `right` at 10%, 50%, 90%. */
bool harness_band_tile_shows(struct fixture *fx, uint32_t left, uint32_t centre, uint32_t right)
{
    struct harness_picture pic = harness_snapshot(fx);
    bool ok = pixel_is(&pic, fx->band_tile, 0.1, 0.5, left) &&
              pixel_is(&pic, fx->band_tile, 0.5, 0.5, centre) &&
              pixel_is(&pic, fx->band_tile, 0.9, 0.5, right);
    free(pic.rgb);
    return ok;
}

bool harness_rect_shows(struct fixture *fx, struct layout_rect rect, uint32_t left,
                        uint32_t centre, uint32_t right)
{
    struct harness_picture pic = harness_snapshot(fx);
    bool ok = pixel_is(&pic, rect, 0.1, 0.5, left) && pixel_is(&pic, rect, 0.5, 0.5, centre) &&
              pixel_is(&pic, rect, 0.9, 0.5, right);
    free(pic.rgb);
    return ok;
}

struct layout_rect harness_tile_rect(struct fixture *fx, int output, int tile)
{
    struct layout_wall *layout = harness_load(fx->path);
    assert_in_range(output, 0, layout->n_outputs - 1);
    const struct layout_output *o = &layout->outputs[output];
    assert_in_range(tile, 1, o->pages[0].n_tiles);
    struct layout_rect r = o->pages[0].tiles[tile - 1].rect;
    r.x += o->monitors[0].rect.x - o->monitors[0].view.x;
    r.y += o->monitors[0].rect.y - o->monitors[0].view.y;
    layout_destroy(layout);
    return r;
}

void harness_reply(struct fixture *fx, const char *line, char *reply, size_t size)
{
    memset(reply, 0, size);
    FILE *f = fmemopen(reply, size, "w");
    assert_non_null(f);
    wall_command(fx->wall, line, f);
    fclose(f);
}

int harness_white_pixels(struct fixture *fx, struct layout_rect rect)
{
    struct harness_picture pic = harness_snapshot(fx);
    int n = 0;
    for (int y = rect.y; y < rect.y + rect.h; y++) {
        for (int x = rect.x; x < rect.x + rect.w; x++) {
            const uint8_t *p = pic.rgb + ((size_t)y * pic.width + x) * 3;
            n += p[0] > 200 && p[1] > 200 && p[2] > 200;
        }
    }
    free(pic.rgb);
    return n;
}

void harness_command(struct fixture *fx, const char *line)
{
    char reply[512] = "";
    FILE *f = fmemopen(reply, sizeof(reply), "w");
    assert_non_null(f);
    wall_command(fx->wall, line, f);
    fclose(f);
    assert_memory_equal(reply, "OK", 2);
}

/* ---- Virtual joysticks ---- */

void harness_attach(struct fixture *fx, SDL_JoystickType type, int axes, int buttons, int hats)
{
    fx->joystick_index = SDL_JoystickAttachVirtual(type, axes, buttons, hats);
    assert_true(fx->joystick_index >= 0);
    fx->joystick = SDL_JoystickOpen(fx->joystick_index);
    assert_non_null(fx->joystick);
    /* The wall opens it when it reads the device-added events. */
    harness_step(fx);
}

void harness_set_axis(struct fixture *fx, int axis, Sint16 value)
{
    assert_int_equal(SDL_JoystickSetVirtualAxis(fx->joystick, axis, value), 0);
}

static void set_button(struct fixture *fx, int button, bool down)
{
    assert_int_equal(SDL_JoystickSetVirtualButton(fx->joystick, button, down), 0);
}

/* A button pressed and released within one step. */
void harness_click(struct fixture *fx, int button)
{
    set_button(fx, button, true);
    harness_step(fx);
    set_button(fx, button, false);
    harness_step(fx);
}

/* Lines of the audit trail with this source and action. */
int harness_audited(struct fixture *fx, const char *source, const char *action)
{
    FILE *f = fopen(fx->audit, "r");
    assert_non_null(f);
    char line[1024], want[128];
    snprintf(want, sizeof(want), " source=%s action=%s ", source, action);
    int n = 0;
    while (fgets(line, sizeof(line), f)) {
        n += strstr(line, want) != NULL;
    }
    fclose(f);
    return n;
}
