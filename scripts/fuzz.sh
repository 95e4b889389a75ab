#!/usr/bin/env bash
# Fuzzes allyplan with libFuzzer (cargo-fuzz): both targets, SECONDS each (default 60).
#
#   scripts/fuzz.sh            # 60 s per target (CI runs this)
#   scripts/fuzz.sh 1800       # half an hour per target
#   JOBS=2 scripts/fuzz.sh 600 # two fuzzing processes per target
#
# Targets (fuzz/fuzz_targets/):
#   load_bytes  arbitrary bytes as model/data files and --set/--disable lines,
#               through load, validate and build
#   structured  random small scenarios (arbitrary), validate, build, solve with
#               microlp, and the independent verifier must pass the optimum
#
# Before fuzzing, every input in fuzz/regressions/<target>/ (crashes found earlier) is
# replayed, and the bad-input fixtures seed load_bytes' corpus. A crash stops the script
# with exit code 1 and leaves the input in fuzz/artifacts/<target>/: fix the bug, copy
# the input into fuzz/regressions/<target>/, and add a fixture under tests/fixtures/bad/.
#
# cargo-fuzz wants a nightly toolchain (for -Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets
# the stable toolchain through. Needs `cargo install cargo-fuzz --locked` (done here when
# missing; about 2 minutes), and the first build of the targets takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
jobs="${JOBS:-1}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

targets=(load_bytes structured)

echo "== building the fuzz targets"
cargo fuzz build

echo "== seeding the corpus from the bad-input fixtures and the multi-tier known answers"
mkdir -p fuzz/corpus/load_bytes fuzz/corpus/structured
for case in tests/fixtures/bad/*/ tests/fixtures/v2/*/; do
    name="$(basename "$case")"
    # A case's model is its model.yaml, or (for cases of several models sharing one data
    # file, such as v2/rvc-preference) its first YAML file.
    model="$case/model.yaml"
    if [ ! -f "$model" ]; then
        model="$(find "$case" -maxdepth 1 -name '*.yaml' | sort | head -n 1)"
        if [ -z "$model" ]; then continue; fi
    fi
    data="$(find "$case" -maxdepth 1 -name '*.yaml' ! -name model.yaml ! -path "$model" | sort | head -n 1)"
    {
        cat "$model"
        printf '%%%%\n'
        if [ -n "$data" ]; then cat "$data"; fi
    } >"fuzz/corpus/load_bytes/seed-$name"
done

echo "== replaying earlier crashes"
for target in "${targets[@]}"; do
    mapfile -t inputs < <(find "fuzz/regressions/$target" -type f ! -name '.*' 2>/dev/null | sort)
    if [ "${#inputs[@]}" -gt 0 ]; then
        cargo fuzz run "$target" "${inputs[@]}" -- -runs=1 -rss_limit_mb=2048 >"fuzz/replay-$target.log" 2>&1 || {
            tail -n 60 "fuzz/replay-$target.log"
            echo "FAILED: an earlier crash of $target is back"
            exit 1
        }
        echo "$target: ${#inputs[@]} earlier crash input(s) replayed, none crashes"
    fi
done

summary=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds} s (${jobs} job(s))"
    log="fuzz/fuzz-$target.log"
    status=0
    args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -max_len=16384 -print_final_stats=1)
    if [ "$jobs" -gt 1 ]; then
        args+=(-fork="$jobs" -ignore_crashes=0)
    fi
    cargo fuzz run "$target" "fuzz/corpus/$target" -- "${args[@]}" >"$log" 2>&1 || status=$?
    runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1 || true)"
    if [ -z "$runs" ]; then
        runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -n 1 || true)"
    fi
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        echo "FAILED: $target crashed after ${runs:-?} executions; the input is in fuzz/artifacts/$target/"
        exit 1
    fi
    summary+=("$target: ${runs:-?} executions in ${seconds} s, no crash")
done

echo "== fuzzing summary"
printf '%s\n' "${summary[@]}"
