#!/usr/bin/env bash
# Installs the Debian 12 packages the wall needs, only those missing.
#   tools/install-deps.sh          build and run
#   tools/install-deps.sh --tests  also what the tests use (RTSP server,
#                                  Xvfb, Python imaging, sanitizer runtime,
#                                  the MQTT broker, systemd-analyze, the
#                                  Debian package build, man, and the
#                                  es_MX.UTF-8 locale the Spanish tests
#                                  run under, generated when missing)
set -euo pipefail

run=(meson ninja-build pkg-config gcc libc6-dev
     libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
     libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
     libegl-dev libgles-dev libegl-mesa0 libgl1-mesa-dri
     libconfig-dev libva-dev libmosquitto-dev libcjson-dev
     libcurl4-openssl-dev libxml2-dev libsystemd-dev libmicrohttpd-dev gettext python3)
tests=(libcmocka-dev ffmpeg python3-pil python3-gi
       gstreamer1.0-tools gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0
       gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
       gstreamer1.0-plugins-ugly gstreamer1.0-libav
       xvfb xauth x11-utils imagemagick xserver-xorg-video-dummy x11-xserver-utils
       clang libclang-rt-14-dev mosquitto mosquitto-clients openssl
       python3-prometheus-client debhelper dpkg-dev fakeroot man-db groff-base
       systemd git locales)

want=("${run[@]}")
if [ "${1:-}" = "--tests" ]; then
    want+=("${tests[@]}")
fi

# The Spanish tests run under es_MX.UTF-8: generated into the system's
# locale archive when it is not there (after the packages, which bring
# its source).
es_locale() {
    if [ "${1:-}" != "--tests" ] || locale -a 2>/dev/null | grep -qix 'es_MX.utf8'; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: the es_MX.UTF-8 locale is missing (run as root, or: localedef -i es_MX -f UTF-8 es_MX.UTF-8)" >&2
        return 1
    fi
    echo "install-deps: generating the es_MX.UTF-8 locale"
    localedef -i es_MX -f UTF-8 es_MX.UTF-8
}

missing=()
for pkg in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    es_locale "${1:-}"
    exit
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
es_locale "${1:-}"
