/* Operator input on a headless wall driven in-process: keys pushed with
 * SDL_PushEvent, a virtual game controller and a virtual plain joystick
 * (SDL_JoystickAttachVirtual), each followed by wall_step() until the
 * wall's state (the control socket's `tiles` reply) or its pixels (the
 * `snapshot` command) show the effect. Loops are bounded by a safety
 * number of steps that fails the test; nothing sleeps, no timing is
 * asserted. Clips are solid colours made with the ffmpeg CLI. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>
#include <libavcodec/avcodec.h>

#include "common/log.h"
#include "layouts/layout.h"
#include "wall/bindings.h"
#include "wall/cli.h"
#include "wall/wall.h"

#define SAFETY_STEPS 600 /* a failure guard, not a timing claim */
#define MAX_TILES    16
#define TOLERANCE    60 /* per channel: YUV round trip and scaling */

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

static char clip_dir[64];

struct fixture {
    char path[128];     /* the layout file */
    char snapshot[128]; /* snapshot PNG */
    char log[128];      /* captured stderr */
    char audit[128];    /* the audit trail */
    struct wall_options options;
    struct wall *wall;
    struct layout_rect band_tile; /* ssc-1, page 1, tile 4 (camera 104) */
    int joystick_index;           /* attached virtual device, or -1 */
    SDL_Joystick *joystick;
    int saved_stderr; /* -1: not capturing */
};

struct tile_info {
    char output[32];
    int page, tile, camera;
    bool maximized, selected;
    double zoom;
    char state[24];
};

/* ---- Files ---- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int make_clips(void **state)
{
    snprintf(clip_dir, sizeof(clip_dir), "/tmp/wall-input-XXXXXX");
    assert_non_null(mkdtemp(clip_dir));
    for (int i = 0; i < N_CLIPS; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i '%s' -t 2 -an "
                 "-vf format=yuv420p -c:v libx264 -pix_fmt yuv420p -crf 10 -bf 0 -g 25 "
                 "-movflags +faststart '%s/%s'",
                 clips[i].source, clip_dir, clips[i].name);
        if (system(cmd) != 0) {
            fprintf(stderr, "ffmpeg with libx264 is needed to make the test clips\n");
            return -1;
        }
    }
    return 0;
}

static int remove_clips(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", clip_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- Captured stderr (log lines) ---- */

static void capture_start(struct fixture *fx)
{
    fflush(stderr);
    fx->saved_stderr = dup(2);
    int fd = open(fx->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0 && fx->saved_stderr >= 0);
    dup2(fd, 2);
    close(fd);
}

/* Stops capturing; returns what was logged (free it), also echoed. */
static char *capture_end(struct fixture *fx)
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

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* ---- The wall ---- */

static struct layout_wall *load(const char *path)
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

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    snprintf(fx->path, sizeof(fx->path), "%s/wall.cfg", clip_dir);
    snprintf(fx->snapshot, sizeof(fx->snapshot), "%s/snap.png", clip_dir);
    snprintf(fx->log, sizeof(fx->log), "%s/stderr.log", clip_dir);
    snprintf(fx->audit, sizeof(fx->audit), "%s/audit.log", clip_dir);
    unlink(fx->audit);
    fx->joystick_index = -1;
    fx->saved_stderr = -1;
    write_text(fx->path, layout_text);
    struct layout_wall *layout = load(fx->path);
    fx->band_tile = layout->outputs[0].pages[0].tiles[3].rect;
    fx->options = (struct wall_options){
        .headless = true,
        .settle_timeout = 10,
        .io_timeout_ms = 5000,
        .hwaccel = HWDEC_NONE,
        .audit = fx->audit,
        .snapshot_dir = clip_dir,
    };
    fx->wall = wall_create(&fx->options, layout);
    assert_non_null(fx->wall);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    *state = fx;
    return 0;
}

static void detach(struct fixture *fx)
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

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->saved_stderr >= 0) {
        free(capture_end(fx));
    }
    detach(fx);
    wall_destroy(fx->wall);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    free(fx);
    return 0;
}

static void step(struct fixture *fx)
{
    assert_true(wall_step(fx->wall));
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
static int tiles_of(struct fixture *fx, const char *output, struct tile_info *out)
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
static struct tile_info tile(struct fixture *fx, const char *output, int number)
{
    struct tile_info all[MAX_TILES];
    int n = tiles_of(fx, output, all);
    for (int i = 0; i < n; i++) {
        if (all[i].tile == number) {
            return all[i];
        }
    }
    return (struct tile_info){0};
}

/* The selected tile of `output` (1-based), 0 when it is not the selected output. */
static int selected(struct fixture *fx, const char *output)
{
    struct tile_info all[MAX_TILES];
    int n = tiles_of(fx, output, all);
    for (int i = 0; i < n; i++) {
        if (all[i].selected) {
            return all[i].tile;
        }
    }
    return 0;
}

#define STEP_UNTIL(fx, condition)                                                                 \
    do {                                                                                          \
        int steps_ = 0;                                                                           \
        while (!(condition)) {                                                                    \
            if (++steps_ > SAFETY_STEPS) {                                                        \
                fail_msg("after %d steps still not: %s", SAFETY_STEPS, #condition);               \
            }                                                                                     \
            step(fx);                                                                             \
        }                                                                                         \
    } while (0)

/* ---- Keys ---- */

static void press(SDL_Keycode key, Uint16 mod)
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

static void type_digits(const char *digits)
{
    for (const char *d = digits; *d; d++) {
        press(SDLK_0 + (*d - '0'), KMOD_NONE);
    }
}

/* ---- Pixels ---- */

struct picture {
    uint8_t *rgb;
    int width, height;
};

static struct picture snapshot(struct fixture *fx)
{
    char line[256];
    snprintf(line, sizeof(line), "snapshot %s", fx->snapshot);
    char reply[512] = "";
    FILE *f = fmemopen(reply, sizeof(reply), "w");
    assert_non_null(f);
    wall_command(fx->wall, line, f);
    fclose(f);
    assert_memory_equal(reply, "OK", 2);

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

    struct picture pic = {.width = frame->width, .height = frame->height};
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
static bool pixel_is(const struct picture *pic, struct layout_rect rect, double u, double v,
                     uint32_t colour)
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

#define RED   0xff0000u
#define GREEN 0x00ff00u
#define BLUE  0x0000ffu

/* Whether the band tile shows `left`, `centre`, `right` at 10%, 50%, 90%. */
static bool band_tile_shows(struct fixture *fx, uint32_t left, uint32_t centre, uint32_t right)
{
    struct picture pic = snapshot(fx);
    bool ok = pixel_is(&pic, fx->band_tile, 0.1, 0.5, left) &&
              pixel_is(&pic, fx->band_tile, 0.5, 0.5, centre) &&
              pixel_is(&pic, fx->band_tile, 0.9, 0.5, right);
    free(pic.rgb);
    return ok;
}

/* ---- Virtual joysticks ---- */

static void attach(struct fixture *fx, SDL_JoystickType type, int axes, int buttons, int hats)
{
    fx->joystick_index = SDL_JoystickAttachVirtual(type, axes, buttons, hats);
    assert_true(fx->joystick_index >= 0);
    fx->joystick = SDL_JoystickOpen(fx->joystick_index);
    assert_non_null(fx->joystick);
    /* The wall opens it when it reads the device-added events. */
    step(fx);
}

static void set_axis(struct fixture *fx, int axis, Sint16 value)
{
    assert_int_equal(SDL_JoystickSetVirtualAxis(fx->joystick, axis, value), 0);
}

static void set_button(struct fixture *fx, int button, bool down)
{
    assert_int_equal(SDL_JoystickSetVirtualButton(fx->joystick, button, down), 0);
}

/* A button pressed and released within one step. */
static void click(struct fixture *fx, int button)
{
    set_button(fx, button, true);
    step(fx);
    set_button(fx, button, false);
    step(fx);
}

/* Axes of SDL's mapping for virtual game controllers. */
enum { LEFT_X = 0, LEFT_Y = 1, RIGHT_TRIGGER = 5 };
enum { BUTTON_A = 0, BUTTON_B = 1 };

/* Lines of the audit trail with this source and action. */
static int audited(struct fixture *fx, const char *source, const char *action)
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

/* ---- Keyboard ---- */

static void dial_camera_into_tile(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);
    type_digits("105");
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).camera == 105);
    assert_false(tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(audited(fx, "keyboard", "put"), 1);

    /* The keypad dials too, into the tile the arrow selected. */
    press(SDLK_RIGHT, KMOD_NONE);
    press(SDLK_KP_1, KMOD_NUM);
    press(SDLK_KP_0, KMOD_NUM);
    press(SDLK_KP_3, KMOD_NUM);
    press(SDLK_KP_ENTER, KMOD_NUM);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 2).camera == 103);
    assert_int_equal(selected(fx, "ssc-1"), 2);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 105);
}

static void enter_alone_maximizes_and_restores(void **state)
{
    struct fixture *fx = *state;
    struct tile_info tiles[MAX_TILES];
    press(SDLK_DOWN, KMOD_NONE);
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(tiles_of(fx, "ssc-1", tiles), 1);
    assert_int_equal(tiles[0].camera, 103);

    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tiles_of(fx, "ssc-1", tiles) == 4);
    for (int i = 0; i < 4; i++) {
        assert_false(tiles[i].maximized);
    }
}

static void page_keys_change_page(void **state)
{
    struct fixture *fx = *state;
    press(SDLK_PAGEDOWN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).page == 2);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 105);
    press(SDLK_PAGEUP, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).page == 1);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);

    press(SDLK_F2, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).page == 2);
    press(SDLK_F1, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).page == 1);
    /* The other monitor's page never moved. */
    assert_int_equal(tile(fx, "g911-1", 1).page, 1);
}

static void cross_zone_camera_is_refused(void **state)
{
    struct fixture *fx = *state;
    capture_start(fx);
    type_digits("5001");
    press(SDLK_RETURN, KMOD_NONE);
    step(fx); /* reads every pushed key */
    step(fx);
    char *log = capture_end(fx);
    assert_non_null(strstr(log, "camera 5001"));
    free(log);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);
    assert_false(tile(fx, "ssc-1", 1).maximized);

    /* The refusal cleared the entry: Enter alone now maximizes. */
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, !tile(fx, "ssc-1", 1).maximized);

    /* The same camera on the Guardians monitor (2 M) is admitted. */
    type_digits("2");
    press(SDLK_m, KMOD_NONE);
    press(SDLK_RIGHT, KMOD_NONE);
    type_digits("5001");
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "g911-1", 2).camera == 5001);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);
}

static void escape_and_backspace_edit_the_entry(void **state)
{
    struct fixture *fx = *state;
    type_digits("102");
    press(SDLK_ESCAPE, KMOD_NONE);
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(tile(fx, "ssc-1", 1).camera, 101);
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, !tile(fx, "ssc-1", 1).maximized);

    type_digits("1033");
    press(SDLK_BACKSPACE, KMOD_NONE);
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).camera == 103);
    assert_false(tile(fx, "ssc-1", 1).maximized);
}

static void monitor_keys_select_outputs(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(selected(fx, "ssc-1"), 1);
    type_digits("2");
    press(SDLK_m, KMOD_NONE);
    STEP_UNTIL(fx, selected(fx, "g911-1") == 1);
    assert_int_equal(selected(fx, "ssc-1"), 0);

    press(SDLK_TAB, KMOD_LSHIFT);
    STEP_UNTIL(fx, selected(fx, "ssc-1") == 1);
    press(SDLK_TAB, KMOD_NONE);
    STEP_UNTIL(fx, selected(fx, "g911-1") == 1);

    capture_start(fx);
    type_digits("9");
    press(SDLK_m, KMOD_NONE);
    step(fx); /* reads every pushed key */
    char *log = capture_end(fx);
    assert_non_null(strstr(log, "monitor 9"));
    free(log);
    assert_int_equal(selected(fx, "g911-1"), 1);
}

static void tour_pause_and_snapshot_keys(void **state)
{
    struct fixture *fx = *state;
    type_digits("1"); /* tour 1, then T */
    press(SDLK_t, KMOD_NONE);
    STEP_UNTIL(fx, audited(fx, "keyboard", "tour-start") == 1);
    press(SDLK_SPACE, KMOD_NONE);
    STEP_UNTIL(fx, audited(fx, "keyboard", "tour-pause") == 1);
    press(SDLK_SPACE, KMOD_NONE);
    STEP_UNTIL(fx, audited(fx, "keyboard", "tour-resume") == 1);
    press(SDLK_t, KMOD_NONE);
    STEP_UNTIL(fx, audited(fx, "keyboard", "tour-stop") == 1);

    capture_start(fx);
    press(SDLK_s, KMOD_NONE);
    step(fx);
    char *log = capture_end(fx);
    char notice[96];
    snprintf(notice, sizeof(notice), "operator: %s/", clip_dir);
    const char *shown = strstr(log, notice); /* the notice names the file */
    assert_non_null(shown);
    char path[256];
    assert_int_equal(sscanf(shown + strlen("operator: "), "%255[^ \n]", path), 1);
    assert_non_null(strstr(path, "/101-"));
    assert_int_equal(access(path, R_OK), 0);
    free(log);
}

/* keys and buttons in the file: rebinding, take-overs, unknown names. */
static const char bindings_text[] = "keys = {\n"
                                    "  tour = \"Tabb\";\n"
                                    "  maximize = [\"Retrun\", \"X\"];\n"
                                    "  snapshot = \"Page Down\";\n"
                                    "  previous_output = \"Shift + F9\";\n"
                                    "};\n"
                                    "buttons = { zoom = 7; };\n";

static void file_bindings_override_defaults(void **state)
{
    struct fixture *fx = *state;
    char text[sizeof(layout_text) + sizeof(bindings_text)];
    snprintf(text, sizeof(text), "%s%s", layout_text, bindings_text);
    write_text(fx->path, text);
    int first = 0; /* lines before the bindings */
    for (const char *p = layout_text; *p; p++) {
        first += *p == '\n';
    }
    struct layout_wall *layout = load(fx->path);

    capture_start(fx);
    struct bindings b;
    assert_true(bindings_init(&b, layout));
    char *log = capture_end(fx);
    char want[256];
    snprintf(want, sizeof(want), "%s:%d: unknown key name 'Tabb' for tour", fx->path, first + 2);
    assert_int_equal(count_of(log, want), 1);
    snprintf(want, sizeof(want), "%s:%d: unknown key name 'Retrun' for maximize", fx->path,
             first + 3);
    assert_int_equal(count_of(log, want), 1);
    free(log);

    assert_int_equal(bindings_key(&b, SDLK_t, 0), BINDING_TOUR); /* no known name: built-in kept */
    assert_int_equal(bindings_key(&b, SDLK_x, 0), BINDING_MAXIMIZE);
    assert_int_equal(bindings_key(&b, SDLK_RETURN, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_KP_ENTER, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_PAGEDOWN, 0), BINDING_SNAPSHOT); /* taken over */
    assert_int_equal(bindings_key(&b, SDLK_s, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_F9, BINDING_SHIFT), BINDING_PREVIOUS_OUTPUT);
    assert_int_equal(bindings_key(&b, SDLK_F9, 0), BINDING_PAGE_1 + 8);
    assert_int_equal(bindings_key(&b, SDLK_TAB, BINDING_SHIFT), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_TAB, 0), BINDING_NEXT_OUTPUT);
    assert_int_equal(bindings_key(&b, SDLK_PAGEUP, 0), BINDING_PREVIOUS_PAGE);
    assert_int_equal(bindings_button(&b, true, 7), BINDING_ZOOM);
    assert_int_equal(bindings_button(&b, false, 7), BINDING_ZOOM);
    assert_int_equal(bindings_button(&b, true, SDL_CONTROLLER_BUTTON_B), BINDING_NONE);
    assert_int_equal(bindings_button(&b, false, 1), BINDING_NONE);
    assert_int_equal(bindings_button(&b, true, SDL_CONTROLLER_BUTTON_A), BINDING_MAXIMIZE);
    assert_int_equal(bindings_button(&b, false, 200), BINDING_NONE);
    bindings_finish(&b);
    layout_destroy(layout);
}

static void defaults_match_the_readme(void **state)
{
    struct bindings b;
    assert_true(bindings_init(&b, NULL));
    static const struct {
        SDL_Keycode key;
        unsigned mods;
        enum binding_action action;
    } table[] = {
        {SDLK_LEFT, 0, BINDING_SELECT_LEFT},
        {SDLK_RIGHT, 0, BINDING_SELECT_RIGHT},
        {SDLK_UP, 0, BINDING_SELECT_UP},
        {SDLK_DOWN, 0, BINDING_SELECT_DOWN},
        {SDLK_TAB, 0, BINDING_NEXT_OUTPUT},
        {SDLK_TAB, BINDING_SHIFT, BINDING_PREVIOUS_OUTPUT},
        {SDLK_RETURN, 0, BINDING_MAXIMIZE},
        {SDLK_KP_ENTER, 0, BINDING_MAXIMIZE},
        {SDLK_PAGEDOWN, 0, BINDING_NEXT_PAGE},
        {SDLK_PAGEUP, 0, BINDING_PREVIOUS_PAGE},
        {SDLK_t, 0, BINDING_TOUR},
        {SDLK_SPACE, 0, BINDING_PAUSE_TOUR},
        {SDLK_s, 0, BINDING_SNAPSHOT},
        {SDLK_z, 0, BINDING_ZOOM},
        {SDLK_ESCAPE, 0, BINDING_CLEAR_ENTRY},
        {SDLK_F1, 0, BINDING_PAGE_1},
        {SDLK_F12, 0, BINDING_PAGE_12},
        {SDLK_m, 0, BINDING_NONE},
        {SDLK_1, 0, BINDING_NONE},
        {SDLK_t, BINDING_CTRL, BINDING_NONE},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        assert_int_equal(bindings_key(&b, table[i].key, table[i].mods), table[i].action);
    }
    assert_string_equal(bindings_action_name(BINDING_PAGE_12), "page_12");
    assert_string_equal(bindings_action_name(BINDING_PREVIOUS_OUTPUT), "previous_output");
    bindings_finish(&b);
}

/* The wall itself: a rebound key works, the built-in one no longer. */
static void file_bindings_drive_the_wall(void **state)
{
    struct fixture *fx = *state;
    wall_destroy(fx->wall);
    char text[sizeof(layout_text) + 64];
    snprintf(text, sizeof(text), "%skeys = { maximize = \"X\"; };\n", layout_text);
    write_text(fx->path, text);
    fx->wall = wall_create(&fx->options, load(fx->path));
    assert_non_null(fx->wall);

    press(SDLK_RETURN, KMOD_NONE);
    step(fx); /* reads every pushed key */
    assert_false(tile(fx, "ssc-1", 1).maximized);
    press(SDLK_x, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).maximized);
    /* Enter still puts a dialled camera. */
    type_digits("104");
    press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).camera == 104);
}

/* ---- Joysticks ---- */

static void controller_moves_selection_and_maximizes(void **state)
{
    struct fixture *fx = *state;
    capture_start(fx);
    attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    assert_true(SDL_IsGameController(fx->joystick_index));

    set_axis(fx, LEFT_X, 6000); /* inside the dead zone */
    step(fx);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 1);

    set_axis(fx, LEFT_X, 32767);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 2); /* at once, one tile */
    set_axis(fx, LEFT_X, 0);
    set_axis(fx, LEFT_Y, 32767);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 4);
    set_axis(fx, LEFT_Y, 0);
    step(fx);

    click(fx, BUTTON_A);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 4).maximized);
    assert_int_equal(tile(fx, "ssc-1", 4).camera, 104);
    assert_int_equal(audited(fx, "joystick", "maximize"), 1);

    detach(fx);
    step(fx);
    char *log = capture_end(fx);
    assert_int_equal(count_of(log, "game controller connected: "), 1);
    assert_int_equal(count_of(log, "game controller disconnected: "), 1);
    free(log);
}

static void held_stick_repeats(void **state)
{
    struct fixture *fx = *state;
    press(SDLK_PAGEDOWN, KMOD_NONE); /* one row of four tiles */
    STEP_UNTIL(fx, tile(fx, "ssc-1", 1).page == 2);
    assert_int_equal(selected(fx, "ssc-1"), 1);
    attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);

    set_axis(fx, LEFT_X, 32767);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 2);
    STEP_UNTIL(fx, selected(fx, "ssc-1") == 4);
    set_axis(fx, LEFT_X, 0);
    step(fx);

    /* A flick: pushed and let go between two frames still moves once. */
    set_axis(fx, LEFT_X, -32768);
    SDL_JoystickUpdate();
    set_axis(fx, LEFT_X, 0);
    step(fx);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 3);
}

static void trigger_zooms_and_stick_pans(void **state)
{
    struct fixture *fx = *state;
    STEP_UNTIL(fx, strcmp(tile(fx, "ssc-1", 4).state, "live") == 0);
    STEP_UNTIL(fx, band_tile_shows(fx, RED, BLUE, GREEN));

    press(SDLK_RIGHT, KMOD_NONE);
    press(SDLK_DOWN, KMOD_NONE);
    STEP_UNTIL(fx, selected(fx, "ssc-1") == 4);
    attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);

    set_axis(fx, RIGHT_TRIGGER, 32767); /* not in zoom mode: nothing */
    step(fx);
    step(fx);
    assert_true(tile(fx, "ssc-1", 4).zoom < 1.01);
    set_axis(fx, RIGHT_TRIGGER, -32768);
    step(fx);

    click(fx, BUTTON_B);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 4).zoom > 1.5);
    set_axis(fx, RIGHT_TRIGGER, 32767);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 4).zoom >= 4.0);
    set_axis(fx, RIGHT_TRIGGER, -32768);
    step(fx);
    /* At 4x on the centre, the blue band fills the tile. */
    assert_true(band_tile_shows(fx, BLUE, BLUE, BLUE));

    set_axis(fx, LEFT_X, -32768);
    STEP_UNTIL(fx, band_tile_shows(fx, RED, RED, RED)); /* panned into the red left */
    set_axis(fx, LEFT_X, 0);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 4);
    assert_true(tile(fx, "ssc-1", 4).zoom <= 8.0);
}

static void plain_joystick_hat_buttons_and_twist(void **state)
{
    struct fixture *fx = *state;
    capture_start(fx);
    attach(fx, SDL_JOYSTICK_TYPE_FLIGHT_STICK, 4, 8, 1);
    assert_false(SDL_IsGameController(fx->joystick_index));

    assert_int_equal(SDL_JoystickSetVirtualHat(fx->joystick, 0, SDL_HAT_RIGHT), 0);
    step(fx);
    assert_int_equal(selected(fx, "ssc-1"), 2);
    assert_int_equal(SDL_JoystickSetVirtualHat(fx->joystick, 0, SDL_HAT_CENTERED), 0);
    step(fx);

    click(fx, 1); /* zoom */
    STEP_UNTIL(fx, tile(fx, "ssc-1", 2).zoom > 1.5);
    set_axis(fx, 3, 32767); /* twist clockwise */
    STEP_UNTIL(fx, tile(fx, "ssc-1", 2).zoom >= 3.0);
    set_axis(fx, 3, 0);
    click(fx, 1);
    STEP_UNTIL(fx, tile(fx, "ssc-1", 2).zoom < 1.01);

    click(fx, 0); /* maximize */
    STEP_UNTIL(fx, tile(fx, "ssc-1", 2).maximized);
    detach(fx);
    step(fx);
    char *log = capture_end(fx);
    assert_int_equal(count_of(log, "joystick connected: "), 1);
    assert_int_equal(count_of(log, "joystick disconnected: "), 1);
    free(log);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    log_set_level(LOG_INFO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_match_the_readme),
        cmocka_unit_test_setup_teardown(dial_camera_into_tile, setup, teardown),
        cmocka_unit_test_setup_teardown(enter_alone_maximizes_and_restores, setup, teardown),
        cmocka_unit_test_setup_teardown(page_keys_change_page, setup, teardown),
        cmocka_unit_test_setup_teardown(cross_zone_camera_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(escape_and_backspace_edit_the_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(monitor_keys_select_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(tour_pause_and_snapshot_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(file_bindings_override_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(file_bindings_drive_the_wall, setup, teardown),
        cmocka_unit_test_setup_teardown(controller_moves_selection_and_maximizes, setup, teardown),
        cmocka_unit_test_setup_teardown(held_stick_repeats, setup, teardown),
        cmocka_unit_test_setup_teardown(trigger_zooms_and_stick_pans, setup, teardown),
        cmocka_unit_test_setup_teardown(plain_joystick_hat_buttons_and_twist, setup, teardown),
    };
    return cmocka_run_group_tests(tests, make_clips, remove_clips);
}
