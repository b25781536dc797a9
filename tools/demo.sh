#!/usr/bin/env bash
# Installs what is missing, builds, and runs the wall: the built-in demo, or
# the layout file given as --config FILE. Other arguments go to the wall.
# Without a display it renders 250 frames headless and writes demo.png.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -d build ] || meson setup build --buildtype=release >/dev/null
meson compile -C build >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/wall/wall "$@"
fi
echo "demo: no display; rendering headless into demo.png"
build/wall/wall --headless --frames 250 --snapshot demo.png "$@"
echo "demo: wrote $(pwd)/demo.png"
