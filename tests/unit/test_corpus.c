#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout_test.h"

/* A corpus file and every line layout_load() must report for it, each
 * "FILE:LINE: message" with FILE relative to the corpus folder; "@/" in a
 * message stands for the corpus folder. */
struct expected {
    const char *file;
    bool loads;
    const char *lines[32];
};

static const struct expected corpus_cases[] = {
    {"warn-unknown.cfg",
     true,
     {"warn-unknown.cfg:5: warning: unknown setting 'backgroud' in output (did you mean "
      "'background'?)",
      "warn-unknown.cfg:10: warning: unknown setting 'gpa' in grid (did you mean 'gap'?)",
      "warn-unknown.cfg:11: warning: unknown setting 'foo' in grid",
      "warn-unknown.cfg:14: warning: unknown setting 'nmae' in camera 1 (did you mean 'name'?)",
      "warn-unknown.cfg:16: warning: camera 3 has no tile: the grid has 2 cells",
      "warn-unknown.cfg:18: warning: unknown top-level setting 'title'"}},
    {"bad-syntax.cfg", false, {"bad-syntax.cfg:3: syntax error"}},
    {"bad-syntax-include.cfg", false, {"inc-syntax.cfg:3: syntax error"}},
    {"bad-bom.cfg",
     false,
     {"bad-bom.cfg:1: the file starts with a byte-order mark (BOM); save it as UTF-8 without "
      "BOM"}},
    {"bad-missing-include.cfg",
     false,
     {"bad-missing-include.cfg:6: cannot open include file 'nope.cfg'",
      "bad-missing-include.cfg:15: cannot open include file 'inc-zones-missing.cfg'"}},
    {"bad-duplicate.cfg",
     false,
     {"bad-duplicate.cfg:6: camera number 101 is already used at line 4",
      "bad-duplicate.cfg:7: camera number 102 is already used at line 5"}},
    {"bad-scheme.cfg",
     false,
     {"bad-scheme.cfg:4: camera 101: unsupported URL scheme 'ftp' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-scheme.cfg:5: camera 102: unsupported URL scheme 'rtmp' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-scheme.cfg:6: camera 103: url has no host after 'rtsp://'",
      "bad-scheme.cfg:7: camera 104: url \"file://\" names no file"}},
    {"bad-grid-range.cfg",
     false,
     {"bad-grid-range.cfg:3: grid.rows must be an integer from 1 to 16 (got 0)",
      "bad-grid-range.cfg:4: grid.columns must be an integer from 1 to 16 (got 17)",
      "bad-grid-range.cfg:5: grid.gap must be an integer from 0 to 64 (got 65)"}},
    {"bad-grid-fit.cfg",
     false,
     {"bad-grid-fit.cfg:2: grid does not fit the output: 16 columns with gap 64 need a width "
      "of at least 1104 (output.width is 1000)",
      "bad-grid-fit.cfg:2: grid does not fit the output: 2 rows with gap 64 need a height of "
      "at least 194 (output.height is 100)"}},
    {"bad-colour.cfg",
     false,
     {"bad-colour.cfg:4: output.background must be a colour like \"#1a2b3c\" (got \"red\")"}},
    {"bad-missing.cfg",
     false,
     {"bad-missing.cfg: missing required group 'grid'",
      "bad-missing.cfg:1: output: missing required setting 'width'",
      "bad-missing.cfg:5: camera 1: missing required setting 'url'",
      "bad-missing.cfg:6: cameras entry 2: missing required setting 'number'"}},
    {"bad-type.cfg",
     false,
     {"bad-type.cfg:2: output.id must be a name of 1 to 64 letters, digits, '-' or '_' (got "
      "\"main wall\")",
      "bad-type.cfg:3: output.width must be an integer from 16 to 16384 (got \"1920\")",
      "bad-type.cfg:4: output.height must be an integer from 16 to 16384 (got 1080.0)",
      "bad-type.cfg:9: grid.gap must be an integer from 0 to 64 (got 2.5)",
      "bad-type.cfg:10: grid.fit must be \"letterbox\" or \"fill\" (got \"stretch\")",
      "bad-type.cfg:13: camera 1: name must be a non-empty string (got 5)",
      "bad-type.cfg:14: cameras entry 2: number must be an integer from 1 to 999999 (got a "
      "URL)",
      "bad-type.cfg:15: cameras entry 3 must be a group { number = ...; name = ...; url = "
      "...; } (got 42)",
      "bad-type.cfg:16: camera 4: name must be a non-empty string (got \"\")",
      "bad-type.cfg:16: camera 4: url must be a non-empty string (got true)"}},
    {"bad-not-groups.cfg",
     false,
     {"bad-not-groups.cfg:1: output must be a group { ... } (got 1920)",
      "bad-not-groups.cfg:2: grid must be a group { ... } (got a list ( ... ))",
      "bad-not-groups.cfg:3: cameras must be a list ( ... ) (got a group { ... })"}},
    {"bad-many.cfg",
     false,
     {"bad-many.cfg:2: output: missing required setting 'height'",
      "bad-many.cfg:3: output.id must be a name of 1 to 64 letters, digits, '-' or '_' (got "
      "\"\")",
      "bad-many.cfg:4: output.width must be an integer from 16 to 16384 (got 8)",
      "bad-many.cfg:5: warning: unknown setting 'heigth' in output (did you mean 'height'?)",
      "bad-many.cfg:6: output.background must be a colour like \"#1a2b3c\" (got \"#12345\")",
      "bad-many.cfg:8: grid: missing required setting 'columns'",
      "bad-many.cfg:10: warning: unknown setting 'colums' in grid (did you mean 'columns'?)",
      "bad-many.cfg:14: cameras entry 1: number must be an integer from 1 to 999999 (got 0)",
      "bad-many.cfg:15: camera 5: unsupported URL scheme 'gopher' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-many.cfg:16: warning: unknown setting 'status' in camera 5",
      "bad-many.cfg:16: camera number 5 is already used at line 15"}},
    {"bad-mixed.cfg",
     false,
     {"bad-mixed.cfg:5: 'zones' belongs to the full format, but 'output' (line 2) makes this file "
      "the simple format: use one format per file (see layouts/README.md)",
      "bad-mixed.cfg:6: 'tours' belongs to the full format, but 'output' (line 2) makes this file "
      "the simple format: use one format per file (see layouts/README.md)"}},
    {"bad-array-mixed.cfg",
     false,
     {"bad-array-mixed.cfg:3: mixed values in an array [ ... ]: next to decimals write whole "
      "numbers as 0.0 or 1.0; to mix numbers and text use a list ( ... )"}},
    {"bad-full-missing.cfg",
     false,
     {"bad-full-missing.cfg: missing required list 'outputs'",
      "bad-full-missing.cfg: missing required list 'layouts'"}},
    {"bad-no-outputs.cfg",
     false,
     {"bad-no-outputs.cfg:3: outputs is empty: the wall needs at least one output"}},
    {"bad-ids.cfg",
     false,
     {"bad-ids.cfg:3: credentials id 'hik' is already used at line 2",
      "bad-ids.cfg:5: zone id 'ssc' is already used at line 4",
      "bad-ids.cfg:7: layout name 'quad' is already used at line 6",
      "bad-ids.cfg:9: tour name 't' is already used at line 8",
      "bad-ids.cfg:13: camera number 1 is already used at @/inc-ids.cfg:2",
      "bad-ids.cfg:14: camera number 2 is already used at @/inc-ids.cfg:3",
      "bad-ids.cfg:19: output id 'main' is already used at line 17"}},
    {"bad-references.cfg",
     false,
     {"bad-references.cfg:4: camera 101: no credentials named 'ssc-hk' (did you mean 'ssc-hik'?)",
      "bad-references.cfg:5: camera 102: no credentials named 'dahua'",
      "bad-references.cfg:9: tour zona-hotelera: camera 999 is not in the registry",
      "bad-references.cfg:11: output a: no zone named 'sc' (did you mean 'ssc'?)",
      "bad-references.cfg:12: output a, page 1: no layout named 'quadd' (did you mean 'quad'?)",
      "bad-references.cfg:16: output b, page 1, tile 2: camera 404 is not in the registry",
      "bad-references.cfg:17: output b, page 1, tile 3: no tour named 'zona-hoteler' (did you "
      "mean 'zona-hotelera'?)",
      "bad-references.cfg:18: output b, page 1, tile 4: no tour named 'nada'",
      "bad-references.cfg:19: output c: missing required setting 'zone' (the file defines "
      "zones)"}},
    {"bad-zone-programme.cfg",
     false,
     {"bad-zone-programme.cfg:15: output ssc-1, page 1, tile 2: camera 2101 (guardians) cannot be "
      "shown in zone ssc: it admits ssc only",
      "bad-zone-programme.cfg:16: output ssc-1, page 2, tile 1: tour mixto cannot be shown in "
      "zone ssc: its camera 2101 (guardians) is not admitted (the zone admits ssc only)",
      "bad-zone-programme.cfg:18: output g911-1, page 1, tile 2: camera 101 (ssc) cannot be shown "
      "in zone g911: it admits guardians only"}},
    {"bad-status.cfg",
     false,
     {"bad-status.cfg:8: tour ronda: camera 2 is suspended: only active cameras can be in a tour",
      "bad-status.cfg:8: tour ronda: camera 3 is removed: only active cameras can be in a tour",
      "bad-status.cfg:10: output main, page 1, tile 2: camera 2 is suspended: only active cameras "
      "can be shown",
      "bad-status.cfg:10: output main, page 1, tile 3: camera 3 is removed: only active cameras "
      "can be shown"}},
    {"bad-layouts.cfg",
     false,
     {"bad-layouts.cfg:5: layout 1+5: tile 2 (cell [1, 1]) overlaps tile 1 (cell [0, 0], span [2, "
      "2])",
      "bad-layouts.cfg:6: layout 1+5: tile 3 (cell [0, 2], span [1, 2]) is outside the grid of 3 "
      "rows x 3 columns",
      "bad-layouts.cfg:7: layout 1+5: tile 4 (cell [3, 0]) is outside the grid of 3 rows x 3 "
      "columns",
      "bad-layouts.cfg:9: layout 1+5: tile 6 (cell [2, 2]) overlaps tile 5 (cell [2, 0], span [1, "
      "3])",
      "bad-layouts.cfg:10: layout empty: tiles is empty: remove it to use every cell of the grid "
      "once",
      "bad-layouts.cfg:12: layout pip, pip 1: area must lie within the output: x + w and y + h at "
      "most 1 (got [0.8, 0.7, 0.28, 0.28])",
      "bad-layouts.cfg:13: layout pip, pip 2: area is empty: w and h must be more than 0 (got "
      "[0.1, 0.1, 0.0, 0.2])",
      "bad-layouts.cfg:14: layout pip, pip 3: area must be [x, y, w, h] of numbers from 0 to 1 "
      "(got [0.1, 0.1, 1.5, 0.2])",
      "bad-layouts.cfg:15: layout pip, pip 4: area must be [x, y, w, h] of numbers from 0 to 1 "
      "(got [0.1, 0.1])",
      "bad-layouts.cfg:16: layout bad grid: name must be a name of 1 to 64 letters, digits, '-', "
      "'_' or '+' (got \"bad grid\")",
      "bad-layouts.cfg:16: layout bad grid: grid must be [rows, columns] of integers from 1 to 16 "
      "(got [0, 17])",
      "bad-layouts.cfg:16: layout bad grid: gap must be an integer from 0 to 64 (got 65)",
      "bad-layouts.cfg:16: layout bad grid: fit must be \"letterbox\" or \"fill\" (got "
      "\"stretch\")",
      "bad-layouts.cfg:19: layouts entry 6 must be a group { name = ...; grid = [rows, "
      "columns]; } (got [2, 2])",
      "bad-layouts.cfg:22: output main, page 1: layout big has 256 tiles but the page lists 1",
      "bad-layouts.cfg:22: output main, page 1: layout big does not fit the output: 16 rows with "
      "gap 64 need a height of at least 1104 (the output is 1920 x 1080)",
      "bad-layouts.cfg:23: output main, page 2: layout big has 256 tiles but the page lists 1"}},
    {"bad-pages.cfg",
     false,
     {"bad-pages.cfg:7: output main, page 1: layout quad has 4 tiles but the page lists 3",
      "bad-pages.cfg:8: output main, page 2: layout quad has 4 tiles but the page lists 5",
      "bad-pages.cfg:9: output main, page 3, tile 1 must be a camera number, \"tour:NAME\", or 0 "
      "for an empty tile (got 1.5)",
      "bad-pages.cfg:9: output main, page 3, tile 2 must be a camera number, \"tour:NAME\", or 0 "
      "for an empty tile (got \"uno\")",
      "bad-pages.cfg:9: output main, page 3, tile 3 must be a camera number, \"tour:NAME\", or 0 "
      "for an empty tile (got true)",
      "bad-pages.cfg:9: output main, page 3, tile 4 must be a camera number, \"tour:NAME\", or 0 "
      "for an empty tile (got -1)",
      "bad-pages.cfg:10: output main, page 4: name must be a non-empty string (got \"\")",
      "bad-pages.cfg:10: output main, page 4: tiles must be a list like (101, \"tour:NAME\", 0) "
      "(got 1)",
      "bad-pages.cfg:11: output main, page 5: missing required setting 'tiles'",
      "bad-pages.cfg:12: output main, page 6 must be a group { layout = ...; tiles = (...); } "
      "(got \"quad\")",
      "bad-pages.cfg:13: output side: pages is empty: an output needs at least one page"}},
    {"bad-outputs.cfg",
     false,
     {"bad-outputs.cfg:7: output b overlaps output a (line 5) on the wall canvas",
      "bad-outputs.cfg:7: output b: display 0 is already used by output a (line 5)",
      "bad-outputs.cfg:9: output c: rect width and height must be from 16 to 16384 pixels (got 8 "
      "x 1080)",
      "bad-outputs.cfg:11: output d: missing required setting 'zone' (the file defines zones)",
      "bad-outputs.cfg:11: output d: display \"dp-1\" is already used by output c (line 9)",
      "bad-outputs.cfg:13: output e: rect must be [x, y, width, height] of integers from 0 to "
      "65535 (got [0, 0, 1920])",
      "bad-outputs.cfg:13: output e: bezel must be [x, y] of integers from 0 to 256 (got [-1, 0])",
      "bad-outputs.cfg:13: output e: display must be a display number from 0 to 15 or a connector "
      "name like \"DP-1\" (got 16)",
      "bad-outputs.cfg:15: outputs entry 6 must be a group { id = ...; rect = [...]; pages = "
      "(...); } (got 42)"}},
    {"bad-monitors.cfg",
     false,
     {"bad-monitors.cfg:6: output a: rect 3841 x 1080 does not split into 1 x 2 monitors of "
      "whole pixels, each at least 16 x 16",
      "bad-monitors.cfg:8: output b: display must list 2 displays, one per monitor, row by row "
      "(got 1)",
      "bad-monitors.cfg:10: output c: display 6 is listed twice",
      "bad-monitors.cfg:12: output d: the picture across its monitors, bezels included, is "
      "16896 x 1080: at most 16384 x 16384",
      "bad-monitors.cfg:14: output e: monitors must be [rows, columns] of integers from 1 to 4 "
      "(got [0, 5])",
      "bad-monitors.cfg:16: output f: display 0 is already used by output a (line 6)"}},
    {"bad-tours.cfg",
     false,
     {"bad-tours.cfg:4: tour vacia has no cameras: list at least one camera number",
      "bad-tours.cfg:5: tour rapida: dwell must be a number of seconds from 1 to 3600 (got 0.5)",
      "bad-tours.cfg:6: tour lenta: dwell must be a number of seconds from 1 to 3600 (got "
      "\"10s\")",
      "bad-tours.cfg:7: tour rara: cameras must be camera numbers (got \"dos\")",
      "bad-tours.cfg:7: tour rara: cameras must be camera numbers (got 2.5)",
      "bad-tours.cfg:8: tour sola: cameras must be a list of camera numbers like [101, 102] (got "
      "1)",
      "bad-tours.cfg:9: tour sin-camaras: missing required setting 'cameras'",
      "bad-tours.cfg:10: tours entry 7 must be a group { name = ...; cameras = [...]; } (got "
      "\"noche\")"}},
    {"bad-masks.cfg",
     false,
     {"bad-masks.cfg:5: camera 2102: mask 1 must lie within the picture: x, y, w and h from 0 to "
      "1, x + w and y + h at most 1 (got [0.8, 0.0, 0.3, 1.0])",
      "bad-masks.cfg:6: camera 2102: mask 2 is empty: w and h must be more than 0 (got [0.1, 0.1, "
      "0.0, 0.5])",
      "bad-masks.cfg:7: camera 2102: mask 3 must lie within the picture: x, y, w and h from 0 to "
      "1, x + w and y + h at most 1 (got [-0.1, 0.0, 0.5, 0.5])",
      "bad-masks.cfg:8: camera 2102: mask 4: a polygon needs at least 3 points (got 2)",
      "bad-masks.cfg:9: camera 2102: mask 5: point 2 must lie within the picture: x and y from 0 "
      "to 1 (got [1.2, 0.1])",
      "bad-masks.cfg:10: camera 2102: mask 6: point 2 must be [x, y] (got [0.9])",
      "bad-masks.cfg:11: camera 2102: mask 7 must be a rectangle [x, y, w, h] or a polygon ( [x, "
      "y], [x, y], [x, y], ... ) (got [0.1, 0.2, 0.3])",
      "bad-masks.cfg:12: camera 2102: mask 8 must be a rectangle [x, y, w, h] or a polygon ( [x, "
      "y], [x, y], [x, y], ... ) (got \"everything\")",
      "bad-masks.cfg:13: camera 2102: mask 9 must be a rectangle [x, y, w, h] or a polygon ( [x, "
      "y], [x, y], [x, y], ... ) (got a list ( ... ))"}},
    {"bad-cameras.cfg",
     false,
     {"bad-cameras.cfg:3: camera 1: unsupported URL scheme 'ftp' (use rtsp, rtsps, http, https or "
      "a file path)",
      "bad-cameras.cfg:3: camera 1: sub: unsupported URL scheme 'rtmp' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-cameras.cfg:4: camera 2: 'url' is another name for 'main': keep one of them",
      "bad-cameras.cfg:5: camera 3: missing required setting 'main'",
      "bad-cameras.cfg:6: camera 4: programme must be \"ssc\" or \"guardians\" (got \"state\")",
      "bad-cameras.cfg:6: camera 4: site must be \"street\", \"bank\", \"hospital\", "
      "\"religious\", \"commercial\", \"home\", \"school\", \"government\", \"transport\" or "
      "\"other\" (got \"beach\")",
      "bad-cameras.cfg:7: camera 4: status must be \"active\", \"suspended\" or \"removed\" (got "
      "\"broken\")",
      "bad-cameras.cfg:7: camera 4: credentials must be a name of 1 to 64 letters, digits, '-' or "
      "'_' (got \"no spaces\")",
      "bad-cameras.cfg:8: warning: unknown setting 'programe' in camera 5 (did you mean "
      "'programme'?)",
      "bad-cameras.cfg:8: camera 5: masks must be a list of rectangles and polygons ( ... ) (got "
      "[0.0, 0.0, 0.5, 0.5]): write one rectangle as ( [x, y, w, h] )",
      "bad-cameras.cfg:9: cameras entry 6: number must be an integer from 1 to 999999 (got "
      "1000000)",
      "bad-cameras.cfg:10: cameras entry 7 must be a group { number = ...; name = ...; main = "
      "...; } (got \"seis\")",
      "bad-cameras.cfg:11: camera 7: url has no host after 'rtsp://'",
      "bad-cameras.cfg:11: camera 7: sub: url \"file://\" names no file"}},
    {"bad-credentials.cfg",
     false,
     {"bad-credentials.cfg:3: credentials ssc-hik: user must be a non-empty string (got a number)",
      "bad-credentials.cfg:3: credentials ssc-hik: password must be a string (got a number)",
      "bad-credentials.cfg:4: credentials bad id: id must be a name of 1 to 64 letters, digits, "
      "'-' or '_' (got \"bad id\")",
      "bad-credentials.cfg:5: credentials entry 3: missing required setting 'id'",
      "bad-credentials.cfg:6: credentials dahua: user must be a non-empty string (got an empty "
      "string)",
      "bad-credentials.cfg:6: credentials dahua: missing required setting 'password'",
      "bad-credentials.cfg:7: credentials entry 5 must be a group { id = ...; user = ...; "
      "password = ...; } (got a string)"}},
    {"bad-zones.cfg",
     false,
     {"bad-zones.cfg:3: zone ssc: unknown programme \"gardians\" in admits (did you mean "
      "\"guardians\"?)",
      "bad-zones.cfg:4: zone g911: unknown programme \"911\" in admits (use \"ssc\" or "
      "\"guardians\")",
      "bad-zones.cfg:5: zone none: admits no programme: list at least one of \"ssc\", "
      "\"guardians\"",
      "bad-zones.cfg:6: zone odd: title must be a non-empty string (got \"\")",
      "bad-zones.cfg:6: zone odd: colour must be a colour like \"#1a2b3c\" (got \"amarillo\")",
      "bad-zones.cfg:6: zone odd: admits must be \"ssc\", \"guardians\" or a list of them like "
      "[\"ssc\", \"guardians\"] (got 1)",
      "bad-zones.cfg:7: zones entry 5: missing required setting 'id'",
      "bad-zones.cfg:8: zones entry 6 must be a group { id = ...; title = ...; admits = [...]; } "
      "(got \"ssc\")"}},
    {"bad-keys.cfg",
     false,
     {"bad-keys.cfg:6: keys.snapshot: key \"t\" is already bound to tour (line 5)",
      "bad-keys.cfg:7: keys.zoom must be a key name like \"Return\" or a list of them like "
      "[\"Page Down\", \"Keypad +\"] (got \"\")",
      "bad-keys.cfg:8: keys.maximize must be a key name like \"Return\" or a list of them like "
      "[\"Page Down\", \"Keypad +\"] (got 13)",
      "bad-keys.cfg:9: keys.next_page must be a key name like \"Return\" or a list of them like "
      "[\"Page Down\", \"Keypad +\"] (got a list ( ... ))",
      "bad-keys.cfg:13: buttons.zoom: button 0 is already bound to maximize (line 12)",
      "bad-keys.cfg:14: buttons.tour must be a button number from 0 to 127 or a list of them like "
      "[4, 5] (got 128)",
      "bad-keys.cfg:15: buttons.snapshot must be a button number from 0 to 127 or a list of them "
      "like [4, 5] (got \"A\")",
      "bad-keys.cfg:17: warning: unknown setting 'threads' in wall",
      "bad-keys.cfg:17: wall.hwaccel must be \"auto\", \"vaapi\" or \"none\" (got \"cuda\")"}},
    {"bad-include-registry.cfg",
     false,
     {"bad-include-registry.cfg:6: output main, page 1, tile 2: camera 2101 (guardians) cannot be "
      "shown in zone ssc: it admits ssc only",
      "inc-bad-registry.cfg:3: camera 101: unsupported URL scheme 'gopher' (use rtsp, rtsps, "
      "http, https or a file path)",
      "inc-bad-registry.cfg:5: camera 2101: mask 1 must lie within the picture: x, y, w and h "
      "from 0 to 1, x + w and y + h at most 1 (got [0.5, 0.5, 0.6, 0.1])"}},
    {"bad-stations.cfg",
     false,
     {"bad-stations.cfg:10: station ssc: no output named 'ssc-3' (did you mean 'ssc-1'?)",
      "bad-stations.cfg:10: station ssc: output ssc-1 is listed twice",
      "bad-stations.cfg:11: station g911: output ssc-1 is already driven by station ssc (line "
      "10)",
      "bad-stations.cfg:12: station idle names no outputs and is no standby: list the outputs it "
      "drives (outputs = [...]) or the stations it takes over (standby_for = [...])",
      "bad-stations.cfg:13: station empty names no outputs and is no standby: list the outputs "
      "it drives (outputs = [...]) or the stations it takes over (standby_for = [...])",
      "bad-stations.cfg:14: station both has both outputs and standby_for: a station drives its "
      "outputs or stands by for others, not both",
      "bad-stations.cfg:15: station standby: standby_for names itself",
      "bad-stations.cfg:15: station standby: no station named 'sc' (did you mean 'ssc'?)",
      "bad-stations.cfg:15: station standby: station both is a standby itself: a standby takes "
      "over stations that drive outputs",
      "bad-stations.cfg:15: station standby: station ssc is listed twice",
      "bad-stations.cfg:16: station spare: standby_for is empty: list the stations it takes over",
      "bad-stations.cfg:17: station ssc: output ssc-2 is already driven by station both (line "
      "14)",
      "bad-stations.cfg:17: station name 'ssc' is already used at line 10",
      "bad-stations.cfg:18: station bad name: name must be a name of 1 to 64 letters, digits, '-' "
      "or '_' (got \"bad name\")",
      "bad-stations.cfg:18: station bad name: outputs must be a list of output ids like "
      "[\"ssc-1\", \"ssc-2\"] (got \"ssc-2\")",
      "bad-stations.cfg:19: warning: unknown setting 'standy_for' in station odd (did you mean "
      "'standby_for'?)",
      "bad-stations.cfg:19: station odd: outputs must be output ids (got 1)",
      "bad-stations.cfg:19: station odd: outputs must be output ids (got 2)",
      "bad-stations.cfg:20: stations entry 11 must be a group { name = ...; outputs = [...]; } "
      "(got \"nine\")",
      "bad-stations.cfg:21: stations entry 12: missing required setting 'name'",
      "bad-stations.cfg:21: stations entry 12: output g911-1 is already driven by station g911 "
      "(line 11)",
      "bad-stations.cfg:22: station lone: standby_for must be station names (got 5)",
      "bad-stations.cfg:22: station lone: standby_for must be station names (got \"\")"}},
    {"bad-stations-no-broker.cfg",
     false,
     {"bad-stations-no-broker.cfg:4: warning: wall.id does nothing without wall.broker",
      "bad-stations-no-broker.cfg:5: stations need wall.broker: the stations talk through an "
      "MQTT broker (wall = { broker = \"mqtt://HOST:1883\"; };)"}},
    {"bad-broker.cfg",
     false,
     {"bad-broker.cfg:6: wall.broker: unsupported URL scheme 'tcp' (use mqtt:// or mqtts://)",
      "bad-broker.cfg:7: wall.broker_credentials: no credentials named 'ssc-hk' (did you mean "
      "'ssc-hik'?)",
      "bad-broker.cfg:8: warning: unknown setting 'crt' in wall.broker_tls (did you mean "
      "'cert'?)",
      "bad-broker.cfg:8: wall.broker_tls: missing required setting 'ca'",
      "bad-broker.cfg:8: wall.broker_tls: cert and key go together: give both or neither",
      "bad-broker.cfg:9: wall.id must be a name of 1 to 64 letters, digits, '-' or '_' (got "
      "\"c5/wall\")",
      "bad-broker.cfg:10: warning: unknown setting 'brocker' in wall (did you mean 'broker'?)"}},
    {"warn-stations.cfg",
     true,
     {"warn-stations.cfg:5: warning: output spare is driven by no station: nobody shows it",
      "warn-stations.cfg:6: warning: output g911-1 is driven by no station: nobody shows it",
      "warn-stations.cfg:11: warning: unknown setting 'stanby' in station standby"}},
    {"warn-actions.cfg",
     true,
     {"warn-actions.cfg:5: warning: unknown action 'maximise' in keys (did you mean 'maximize'?)",
      "warn-actions.cfg:6: warning: unknown action 'next_pgae' in keys (did you mean "
      "'next_page'?)",
      "warn-actions.cfg:7: warning: unknown action 'launch_missiles' in keys",
      "warn-actions.cfg:9: warning: unknown action 'zoom_in' in buttons"}},
    {"warn-credentials-url.cfg",
     true,
     {"warn-credentials-url.cfg:4: warning: camera 101: credentials in the URL: move them to a "
      "credentials entry",
      "warn-credentials-url.cfg:6: warning: camera 102: credentials in the URL: move them to a "
      "credentials entry",
      "warn-credentials-url.cfg:8: warning: camera 103: credentials in the URL: move them to a "
      "credentials entry"}},
    {"warn-tile-order.cfg",
     true,
     {"warn-tile-order.cfg:3: warning: layout 1+3: tile 2 (cell [0, 0]) is listed after tile 1 "
      "(cell [1, 0], span [1, 2]): pages fill tiles in reading order, row by row, so it comes "
      "first"}},
    {"warn-unknown-full.cfg",
     true,
     {"warn-unknown-full.cfg:2: warning: unknown setting 'hwacel' in wall (did you mean "
      "'hwaccel'?)",
      "warn-unknown-full.cfg:3: warning: unknown setting 'colr' in zone ssc (did you mean "
      "'color'?)",
      "warn-unknown-full.cfg:4: warning: unknown setting 'gpa' in layout 1+1 (did you mean "
      "'gap'?)",
      "warn-unknown-full.cfg:5: warning: unknown setting 'spna' in layout 1+1, tile 1 (did you "
      "mean 'span'?)",
      "warn-unknown-full.cfg:6: warning: unknown setting 'fti' in layout 1+1, pip 1 (did you mean "
      "'fit'?)",
      "warn-unknown-full.cfg:7: warning: unknown setting 'stauts' in camera 1 (did you mean "
      "'status'?)",
      "warn-unknown-full.cfg:8: warning: unknown setting 'dwel' in tour t (did you mean 'dwell'?)",
      "warn-unknown-full.cfg:9: warning: unknown setting 'backgroud' in output main (did you mean "
      "'background'?)",
      "warn-unknown-full.cfg:10: warning: unknown setting 'nmae' in output main, page 1 (did you "
      "mean 'name'?)",
      "warn-unknown-full.cfg:11: warning: unknown top-level setting 'tour' (did you mean "
      "'tours'?)"}},
};

/* Valid corpus files: each loads without a message here, and its model is
 * checked field by field in test_layout.c (simple format), test_full.c or
 * test_stations.c. */
static const char *const valid_files[] = {
    "valid-minimal.cfg", "valid-full.cfg",     "valid-include.cfg",  "valid-wall.cfg",
    "valid-keys.cfg",    "valid-no-zones.cfg", "valid-monitors.cfg", "valid-stations.cfg",
};

#define N_CASES (sizeof(corpus_cases) / sizeof(corpus_cases[0]))
#define N_VALID (sizeof(valid_files) / sizeof(valid_files[0]))

/* The expected line with "@/" replaced by the corpus folder. */
static void expand(const char *line, char *buf, size_t size)
{
    const char *full = corpus(line);
    size_t used = 0;
    for (const char *p = full; *p && used + 1 < size; p++) {
        if (p[0] == '@' && p[1] == '/') {
            used += (size_t)snprintf(buf + used, size - used, "%s/", corpus_dir());
            p++;
        } else {
            buf[used++] = *p;
        }
    }
    buf[used < size ? used : size - 1] = '\0';
}

static void assert_messages(const struct expected *e)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(corpus(e->file), &diags);
    int n = 0;
    while (n < 32 && e->lines[n]) {
        n++;
    }
    for (int i = 0; i < diags.count || i < n; i++) {
        char got[1024] = "(nothing)", want[1024] = "(nothing)";
        if (i < diags.count) {
            diag_format(&diags.items[i], got, sizeof(got));
        }
        if (i < n) {
            expand(e->lines[i], want, sizeof(want));
        }
        if (strcmp(got, want) != 0) {
            print_error("%s, message %d:\n  got  %s\n  want %s\n", e->file, i + 1, got, want);
        }
        assert_string_equal(got, want);
    }
    if (e->loads) {
        assert_non_null(wall);
        assert_int_equal(diags.errors, 0);
    } else {
        assert_null(wall);
        assert_true(diags.errors > 0);
    }
    layout_destroy(wall);
    diag_list_finish(&diags);
}

static void corpus_messages(void **state)
{
    for (size_t i = 0; i < N_CASES; i++) {
        assert_messages(&corpus_cases[i]);
    }
}

static void valid_files_load_clean(void **state)
{
    for (size_t i = 0; i < N_VALID; i++) {
        layout_destroy(load_clean(corpus(valid_files[i])));
    }
}

/* Issue 3: "a Guardians camera in an SSC-only zone is refused". */
static void guardians_camera_refused_in_ssc_zone(void **state)
{
    struct diag_list diags;
    assert_false(load_messages(corpus("bad-zone-programme.cfg"), &diags));
    assert_true(has_message(&diags, "bad-zone-programme.cfg:15: output ssc-1, page 1, tile 2: "
                                    "camera 2101 (guardians) cannot be shown in zone ssc: it "
                                    "admits ssc only"));
    diag_list_finish(&diags);
}

/* Issue 3: "a removed camera is refused" (and a suspended one). */
static void removed_camera_refused(void **state)
{
    struct diag_list diags;
    assert_false(load_messages(corpus("bad-status.cfg"), &diags));
    assert_true(has_message(&diags, "bad-status.cfg:10: output main, page 1, tile 3: camera 3 "
                                    "is removed: only active cameras can be shown"));
    assert_true(has_message(&diags, "bad-status.cfg:10: output main, page 1, tile 2: camera 2 "
                                    "is suspended: only active cameras can be shown"));
    assert_true(has_message(&diags, "bad-status.cfg:8: tour ronda: camera 3 is removed: only "
                                    "active cameras can be in a tour"));
    diag_list_finish(&diags);
}

/* A password never reaches a message, whatever the mistake around it. */
static void passwords_never_shown(void **state)
{
    static const char *const files[] = {"warn-credentials-url.cfg", "bad-type.cfg",
                                        "bad-scheme.cfg", "bad-credentials.cfg"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        struct diag_list diags;
        load_messages(corpus(files[f]), &diags);
        assert_true(diags.count > 0);
        for (int i = 0; i < diags.count; i++) {
            char line[1024];
            diag_format(&diags.items[i], line, sizeof(line));
            assert_null(strstr(line, "Sup3r"));
            assert_null(strstr(line, "secreto"));
            assert_null(strstr(line, "otra"));
            assert_null(strstr(line, "u:p@"));
            assert_null(strstr(line, "user:pw"));
            assert_null(strstr(line, "987654"));
            assert_null(strstr(line, "5551234"));
        }
        diag_list_finish(&diags);
    }
}

static void missing_file(void **state)
{
    struct diag_list diags;
    diag_list_init(&diags);
    assert_null(layout_load(corpus("no-such-layout.cfg"), &diags));
    assert_int_equal(diags.count, 1);
    char line[1024];
    diag_format(&diags.items[0], line, sizeof(line));
    const char *want = corpus("no-such-layout.cfg: cannot read the layout file (No such file "
                              "or directory)");
    assert_string_equal(line, want);
    diag_list_finish(&diags);
}

/* layout_load() fails on errors it adds, not on errors already in the list. */
static void fails_only_on_new_errors(void **state)
{
    struct diag_list diags;
    diag_list_init(&diags);
    assert_null(layout_load(corpus("bad-colour.cfg"), &diags));
    assert_int_equal(diags.errors, 1);
    struct layout_wall *wall = layout_load(corpus("warn-unknown.cfg"), &diags);
    assert_non_null(wall);
    assert_int_equal(diags.errors, 1);
    assert_int_equal(diags.count, 7);
    layout_destroy(wall);
    layout_destroy(NULL);
    diag_list_finish(&diags);
}

static bool is_covered(const char *name)
{
    for (size_t i = 0; i < N_CASES; i++) {
        if (strcmp(corpus_cases[i].file, name) == 0) {
            return true;
        }
    }
    for (size_t i = 0; i < N_VALID; i++) {
        if (strcmp(valid_files[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Every layout in the corpus is checked here; inc-* files are only included. */
static void corpus_is_covered(void **state)
{
    DIR *dir = opendir(corpus_dir());
    assert_non_null(dir);
    int layouts = 0;
    for (struct dirent *e = readdir(dir); e; e = readdir(dir)) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".cfg") != 0 ||
            strncmp(e->d_name, "inc-", 4) == 0) {
            continue;
        }
        if (!is_covered(e->d_name)) {
            print_error("corpus file %s has no test\n", e->d_name);
        }
        assert_true(is_covered(e->d_name));
        layouts++;
    }
    closedir(dir);
    assert_int_equal(layouts, (int)(N_CASES + N_VALID));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_messages),
        cmocka_unit_test(valid_files_load_clean),
        cmocka_unit_test(guardians_camera_refused_in_ssc_zone),
        cmocka_unit_test(removed_camera_refused),
        cmocka_unit_test(passwords_never_shown),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(fails_only_on_new_errors),
        cmocka_unit_test(corpus_is_covered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
