#!/bin/sh
# make-demo-clips.sh: generate the 16 demo clips of the wall's built-in demo.
#
# The clips are committed (assets/clips/cam01.mp4 .. cam16.mp4), so nobody
# needs to run this to use the demo. To regenerate them:
#
#     assets/make-demo-clips.sh            # writes assets/clips/camNN.mp4
#     assets/make-demo-clips.sh OUTDIR     # writes OUTDIR/camNN.mp4
#
# Needs the ffmpeg CLI (tested with FFmpeg 5.1, libx264) and
# /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf (fonts-dejavu-core).
#
# Every clip is 640x360, 25 fps, 8 s (200 frames), H.264 main profile,
# yuv420p limited range BT.601, no B-frames, a keyframe every 25 frames
# (1 s), in MP4 with the moov atom first (+faststart), at most ~300 KB.
# Each clip uses its own FFmpeg lavfi source so the tiles of the demo look
# different, and each one moves. Every clip carries a big "CAM NN" label and
# a running timestamp, so a frozen tile is obvious at a glance.
#
# The output is deterministic for a given FFmpeg/x264 build: every random
# source has a fixed seed, x264 runs single-threaded and the muxer is told
# to be bit-exact (no creation time, no encoder version string).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/clips"}
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

W=640
H=360
R=25
D=8

command -v ffmpeg >/dev/null || { echo "make-demo-clips.sh: ffmpeg not found" >&2; exit 1; }
[ -r "$font" ] || { echo "make-demo-clips.sh: font $font not found" >&2; exit 1; }
mkdir -p "$out"

# The lavfi source graph of clip NN (before the label and the timestamp).
# Every graph produces W x H at R fps, any pixel format; "t" in the overlay
# expressions is the time in seconds (drawbox has no time variable in 5.1).
source_of() {
    case $1 in
    01) echo "testsrc2=size=${W}x${H}:rate=$R" ;;
    02) echo "smptebars=size=${W}x${H}:rate=$R[bars];color=c=white:size=80x60:rate=$R[box];[bars][box]overlay=x='mod(t*160\,W+80)-80':y=150:shortest=1" ;;
    03) echo "mandelbrot=size=320x180:rate=$R:end_pts=800:start_scale=2.5:end_scale=0.4:maxiter=400,scale=${W}x${H}" ;;
    04) echo "life=size=80x45:rate=8:seed=4:ratio=0.25:mold=24:life_color=#00ff80:death_color=#002010:mold_color=#a03060,scale=${W}x${H}:flags=neighbor,fps=$R" ;;
    05) echo "cellauto=size=80x45:rate=$R:rule=90:seed=5:ratio=0.03,format=rgb24,lutrgb=r=val*0.3:g=val*0.6:b=val,scale=${W}x${H}:flags=neighbor" ;;
    06) echo "rgbtestsrc=size=${W}x${H}:rate=$R,hue=h=t*45" ;;
    07) echo "gradients=size=${W}x${H}:rate=$R:nb_colors=4:seed=7:speed=0.03:c0=#ff4040:c1=#40a0ff:c2=#ffe040:c3=#40ff80" ;;
    08) echo "testsrc=size=${W}x${H}:rate=$R" ;;
    09) echo "smptehdbars=size=${W}x${H}:rate=$R,scroll=horizontal=0.005" ;;
    10) echo "sierpinski=size=320x180:rate=10:seed=10:jump=10,lutrgb=r=val:g=val*0.5:b=0,scale=${W}x${H}:flags=neighbor,fps=$R" ;;
    11) echo "pal75bars=size=${W}x${H}:rate=$R,hue=h=t*30[bars];color=c=black@0.6:size=${W}x24:rate=$R,format=yuva420p[band];[bars][band]overlay=x=0:y='mod(t*90\,H)':shortest=1" ;;
    12) echo "colorspectrum=size=${W}x${H}:rate=$R:type=all,scroll=horizontal=0.004:vertical=0.002" ;;
    13) echo "colorchart=rate=$R:patch_size=96x96,scale=${W}x${H},rotate=a='0.3*sin(t)':fillcolor=#303030" ;;
    14) echo "yuvtestsrc=size=${W}x${H}:rate=$R,hue=h=-t*60:s=1.5,drawgrid=w=80:h=72:t=2:color=white@0.4" ;;
    15) echo "nullsrc=size=${W}x${H}:rate=$R,geq=r='128+100*sin(X/23+T*2)':g='128+100*sin(Y/17-T*3)':b='128+100*sin((X+Y)/31+T)'" ;;
    16) echo "color=c=#182028:size=${W}x${H}:rate=$R,drawgrid=w=160:h=90:t=3:color=#506070[road];color=c=#e0c020:size=100x44:rate=$R[car1];color=c=#d03030:size=70x36:rate=$R[car2];[road][car1]overlay=x='mod(t*120\,W+100)-100':y=110:shortest=1[a];[a][car2]overlay=x='W-mod(t*75\,W+70)':y=210:shortest=1" ;;
    esac
}

for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do
    label="drawtext=fontfile=$font:text='CAM $n':fontsize=64:fontcolor=white:borderw=4:bordercolor=black:x=24:y=20"
    clock="drawtext=fontfile=$font:text='%{pts\\:hms}':fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=w-tw-20:y=h-th-20"
    echo "cam$n.mp4: $(source_of $n)"
    ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "$(source_of $n),format=yuv420p,$label,$clock[out0]" \
        -t $D -an -map_metadata -1 -fflags +bitexact -flags:v +bitexact \
        -c:v libx264 -threads 1 -profile:v main -pix_fmt yuv420p \
        -bf 0 -g $R -keyint_min $R -sc_threshold 0 -tune zerolatency \
        -crf 30 -maxrate 230k -bufsize 460k \
        -color_range tv -colorspace smpte170m -color_primaries smpte170m -color_trc smpte170m \
        -movflags +faststart \
        "$out/cam$n.mp4"
done

ls -l "$out"/cam*.mp4
