#!/usr/bin/env bash
# Installs what is missing, builds, and runs the wall: the built-in demo, or
# the layout file given as --config FILE. Other arguments go to the wall.
# Without a display it renders 250 frames headless and writes demo.png.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -d build-demo ] || meson setup build-demo --buildtype=release -Dtests=false >/dev/null
meson compile -C build-demo >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build-demo/wall/wall "$@"
fi
echo "demo: no display; rendering headless into demo.png"
build-demo/wall/wall --headless --frames 250 --snapshot demo.png "$@"
echo "demo: wrote $(pwd)/demo.png"
