#!/usr/bin/env bash
# Installs what is missing, builds the wall twice (plain with warnings as
# errors, then with AddressSanitizer + UndefinedBehaviorSanitizer +
# LeakSanitizer) and runs every test in both builds; then the integration
# tests of the plain build again pinned to one core (taskset -c 0: a
# machine half as fast, so no test may depend on this machine's speed) and
# on the GL drawing path;
# then the fuzzers and the soak test. Ends with one line:
#   N passed, N failed, N skipped
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tools/install-deps.sh --tests || exit 1

passed=0
failed=0
skipped=0

count() { # testlog.json -> "passed failed skipped"
    /usr/bin/python3 - "$1" <<'PY'
import json, sys
p = f = s = 0
try:
    for line in open(sys.argv[1]):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
except OSError:
    f = 1
print(p, f, s)
PY
}

suite() { # name builddir meson-options...
    local name=$1 dir=$2
    shift 2
    echo "=== $name build ($dir)"
    if ! { meson setup "$dir" --wipe -Dwerror=true "$@" >"$dir.setup.log" 2>&1 ||
           meson setup "$dir" -Dwerror=true "$@" >"$dir.setup.log" 2>&1; } ||
       ! meson compile -C "$dir"; then
        cat "$dir.setup.log" 2>/dev/null
        echo "=== $name: build FAILED"
        failed=$((failed + 1))
        return
    fi
    echo "=== $name tests"
    meson test -C "$dir" --print-errorlogs --num-processes 2
    read -r p f s < <(count "$dir/meson-logs/testlog.json")
    echo "=== $name: $p passed, $f failed, $s skipped"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
}

suite plain build-test --buildtype=debugoptimized

# The integration tests on one core, against the plain build, and on the
# GL drawing path (the GPU's: Y'CbCr converted in the shader), which the
# wall does not pick by itself on software GL.
echo "=== one core (taskset -c 0), --draw gl: integration tests"
if [ -f build-test/build.ninja ]; then
    WALLTEST_DRAW=gl taskset -c 0 meson test -C build-test --suite integration --print-errorlogs \
        --num-processes 1 --logbase one-core
    read -r p f s < <(count "build-test/meson-logs/one-core.json")
    echo "=== one core: $p passed, $f failed, $s skipped"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
else
    echo "=== one core: no plain build"
    failed=$((failed + 1))
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0"
suite sanitizers build-asan --buildtype=debug -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fno-sanitize-recover=undefined

# Third stage: fuzzers (bounded) and the soak test under faults.
echo "=== robustness (tools/robustness.sh)"
robust_log=$(mktemp)
tools/robustness.sh 2>&1 | tee "$robust_log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$robust_log" | tail -n 1)
rm -f "$robust_log"
if [ -n "$line" ]; then
    read -r p _ f _ <<<"${line//,/}"
    passed=$((passed + p))
    failed=$((failed + f))
else
    echo "=== robustness: no result line"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
