#!/usr/bin/env bash
# Robustness stages, after tools/test.sh: the fuzz targets (libFuzzer, clang,
# AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer), each for a
# bounded time from the seed corpus, then the soak test under faults.
#
#   tools/robustness.sh                 CI length: 60 s per fuzzer, 90 s of soak
#                                       faults (about 8 minutes in all)
#   tools/robustness.sh --long          30 minutes per fuzzer, 30 minutes of faults
#   tools/robustness.sh --fuzz-seconds N --soak-seconds N --seed N
#   tools/robustness.sh --only fuzz|soak
#
# One line per stage ("=== robustness: STAGE: PASS|FAIL|SKIP ..."), then
#   N passed, N failed
# and exit status 0 only when no stage failed. A fuzzer's crash leaves its
# input in build-fuzz-work/artifacts/TARGET/ (the stage prints the report);
# make it a regression test by copying it to fuzz/regressions/TARGET/. What
# the fuzzers learn stays in build-fuzz-work/corpus/TARGET/ from run to run
# (outside build-fuzz, which each run wipes).
# Soak figures: build-soak/soak-figures.txt (and .json).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fuzz_seconds=60
soak_seconds=90
seed=1
only=all
while [ $# -gt 0 ]; do
    case $1 in
    --long) fuzz_seconds=1800 soak_seconds=1800 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    --soak-seconds) soak_seconds=$2; shift ;;
    --seed) seed=$2; shift ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "robustness.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

passed=0
failed=0
lines=()

stage() { # name status(0 pass, 77 skip, else fail) detail
    local word=PASS
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
    elif [ "$2" -eq 77 ]; then
        word=SKIP
    else
        word=FAIL
        failed=$((failed + 1))
    fi
    lines+=("=== robustness: $1: $word${3:+ ($3)}")
    echo "${lines[-1]}"
}

setup() { # builddir meson-options...: configure (fresh when possible) and build
    local dir=$1
    shift
    { meson setup "$dir" --wipe "$@" >"$dir.setup.log" 2>&1 ||
      meson setup "$dir" "$@" >"$dir.setup.log" 2>&1; } &&
        meson compile -C "$dir" >"$dir.compile.log" 2>&1
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0"

run_fuzzer() { # target
    local t=$1 bin=build-fuzz/fuzz/$1_fuzz
    local work=build-fuzz-work/corpus/$t artifacts=build-fuzz-work/artifacts/$t
    local log=build-fuzz-work/$t.log
    mkdir -p "$work" "$artifacts"
    # New inputs go to the work folder; the committed seeds are only read.
    timeout -k 10 $((fuzz_seconds + 120)) "$bin" -max_total_time="$fuzz_seconds" \
        -timeout=30 -rss_limit_mb=4096 -dict="fuzz/$t.dict" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$t" >"$log" 2>&1
    local status=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    local found
    found=$(ls "$artifacts" 2>/dev/null | head -3 | tr '\n' ' ')
    if [ "$status" -ne 0 ]; then
        echo "--- ${t}_fuzz (exit $status), last lines of $log:"
        grep -v -E '^#[0-9]+.*(NEW|REDUCE|pulse)' "$log" | tail -60
        stage "fuzz $t" 1 "exit $status, ${runs:-?} runs, inputs in $artifacts: ${found:-none}"
    else
        stage "fuzz $t" 0 "${fuzz_seconds} s, ${runs:-?} runs"
    fi
}

if [ "$only" = all ] || [ "$only" = fuzz ]; then
    echo "=== robustness: building the fuzz targets (build-fuzz, clang)"
    if ! command -v clang >/dev/null; then
        stage "fuzz build" 1 "clang is not installed (Debian: clang, libclang-rt-dev)"
    elif ! CC=clang setup build-fuzz -Dfuzz=true -Dtests=false \
            -Db_sanitize=address,undefined -Db_lundef=false \
            -Dc_args=-fsanitize=fuzzer-no-link; then
        tail -30 build-fuzz.setup.log build-fuzz.compile.log 2>/dev/null
        stage "fuzz build" 1 "see build-fuzz.setup.log, build-fuzz.compile.log"
    else
        stage "fuzz build" 0 ""
        for t in layout control stream; do
            run_fuzzer "$t"
        done
    fi
fi

if [ "$only" = all ] || [ "$only" = soak ]; then
    echo "=== robustness: building the wall for the soak (build-soak)"
    if ! setup build-soak --buildtype=debugoptimized -Dtests=false; then
        tail -30 build-soak.setup.log build-soak.compile.log 2>/dev/null
        stage "soak" 1 "the build failed: see build-soak.setup.log, build-soak.compile.log"
    else
        timeout -k 10 $((soak_seconds + 600)) /usr/bin/python3 tests/soak/soak.py \
            --wall build-soak/wall/wall --duration "$soak_seconds" --seed "$seed" \
            --figures build-soak/soak-figures.txt
        status=$?
        stage "soak" "$status" "${soak_seconds} s of faults; figures in build-soak/soak-figures.txt"
    fi
fi

echo
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
