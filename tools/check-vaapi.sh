#!/usr/bin/env bash
# Checks the hardware decoding path end to end on a machine that has VA-API
# (Intel/AMD through Mesa or iHD, or an NVIDIA GPU through
# nvidia-vaapi-driver), and says what it saw:
#   1. the render nodes and what vainfo reports for them;
#   2. the wall headless with --hwaccel vaapi on an H.264 and an H.265 clip:
#      whether the feeds decoded in hardware (--stats "hardware": true),
#      whether the pictures were imported zero-copy (no fallback logged),
#      and whether the colours are right (pixel check of the snapshot).
# Exit 0 when every step passed, 1 when one failed, 77 when there is no
# VA-API hardware here at all.
#   tools/check-vaapi.sh [build/wall/wall]
set -uo pipefail
cd "$(dirname "$0")/.."
wall=${1:-build/wall/wall}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf 'check-vaapi: %s\n' "$*"; }

nodes=$(ls /dev/dri/renderD* 2>/dev/null)
if [ -z "$nodes" ]; then
    say "no DRM render node (/dev/dri/renderD*): no VA-API hardware here"
    exit 77
fi
if command -v nvidia-smi >/dev/null 2>&1; then
    # nvidia-vaapi-driver: direct backend, no X server needed.
    export LIBVA_DRIVER_NAME=${LIBVA_DRIVER_NAME:-nvidia} NVD_BACKEND=${NVD_BACKEND:-direct}
    say "NVIDIA GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)"
fi
for node in $nodes; do
    if command -v vainfo >/dev/null 2>&1; then
        say "$node: $(vainfo --display drm --device "$node" 2>&1 | grep -E 'Driver version|VAProfileH264Main|VAProfileHEVCMain ' | tr -s ' ' | paste -sd ';' -)"
    else
        say "$node present (install vainfo for details)"
    fi
done

fail=0
for codec in h264 hevc; do
    enc=libx264; [ $codec = hevc ] && enc=libx265
    clip="$work/$codec.mp4"
    ffmpeg -v error -y -f lavfi -i "color=c=0x2060c0:s=1280x720:r=25:d=3" \
        -c:v $enc -pix_fmt yuv420p -g 25 "$clip" || { say "$codec: cannot encode a clip"; fail=1; continue; }
    cat > "$work/$codec.cfg" <<CFG
output = { width = 1280; height = 720; background = "#000000"; };
grid = { rows = 1; columns = 1; gap = 0; };
cameras = ( { number = 1; name = "$codec"; url = "$clip"; } );
CFG
    WALL_LOG=debug "$wall" --headless --hwaccel vaapi --config "$work/$codec.cfg" --frames 25 \
        --snapshot "$work/$codec.png" --stats >"$work/$codec.json" 2>"$work/$codec.log"
    rc=$?
    hw=$(grep -o '"hardware": [a-z]*' "$work/$codec.json" | head -1)
    fallback=$(grep -E 'software|cannot import|refused' "$work/$codec.log" | head -3)
    pixel=$(/usr/bin/python3 -c "from PIL import Image; print(Image.open('$work/$codec.png').convert('RGB').getpixel((640,360)))" 2>/dev/null)
    say "$codec: exit $rc, $hw, centre pixel $pixel (expected about (32, 96, 192))"
    [ -n "$fallback" ] && say "$codec: log says: $fallback"
    if [ $rc -ne 0 ] || [ "$hw" != '"hardware": true' ]; then
        fail=1
    fi
done
[ $fail -eq 0 ] && say "hardware path: OK" || say "hardware path: FAILED (see above)"
exit $fail
