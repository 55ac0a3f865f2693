#!/bin/bash
# Measures the serialization candidates of bench/serialization-approach.md.
#
#   bench/serialization-approach/run.sh [WORK] [STEP...]
#
# WORK: an empty or earlier work directory (default: a new /tmp/serialization-approach.XXXXXX).
# STEPs (default: all of them, in this order):
#   setup      export the repository at HEAD, build the smithgen CLI, generate the full Lightsail
#              crate, write the 1,000-instance body, derive the variants (make_variants.py) and
#              prebuild every crate's dependencies (release and debug)
#   verify     the three approaches decode the body to equal values and encode equal JSON
#   behaviour  error messages, depth, NaN, unknown enum values, nulls (behaviour.rs)
#   runtime    decode/encode timings, RUNS times per approach, interleaved
#   instructions  the same operations' instruction counts under valgrind (not disturbed by
#              other work on the machine, unlike the timings)
#   build      crate-alone build CPU and wall time, RUNS times per variant and profile,
#              consumer builds (also a step of its own: consumers), cold dependency builds,
#              dependency counts
#   summary    the tables (summarize.py)
# Environment: MODEL (default ../shared/models/aws/lightsail-2016-11-28.json beside the
# repository), RUNS (default 3), SMITHGEN (a prebuilt CLI to use instead of building one).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
MODEL=${MODEL:-$REPO/../shared/models/aws/lightsail-2016-11-28.json}
RUNS=${RUNS:-3}
WORK=${1:-$(mktemp -d /tmp/serialization-approach.XXXXXX)}
shift || true
STEPS=${*:-setup verify behaviour runtime instructions build summary}
mkdir -p "$WORK/results/time" "$WORK/out"
WORK=$(cd "$WORK" && pwd)
C=$WORK/crates
R=$WORK/results
# Every build here is non-incremental, so that a debug build of the crate is a full build of it.
export CARGO_INCREMENTAL=0
VARIANTS="bare noops emitted serde serde-inst schema"
SIDES="emitted serde schema"
echo "work directory: $WORK"

setup() {
    rm -rf "$WORK/repo" "$C" && mkdir -p "$WORK/repo" "$C"
    git -C "$REPO" archive HEAD | tar -x -C "$WORK/repo"
    git -C "$REPO" rev-parse HEAD > "$R/commit.txt"
    if [ -z "${SMITHGEN:-}" ]; then
        (cd "$WORK/repo" && CARGO_TARGET_DIR=$WORK/target-cli cargo build --release -q -j1 -p smithgen)
        SMITHGEN=$WORK/target-cli/release/smithgen
    fi
    "$SMITHGEN" generate "$MODEL" --out "$C/emitted" --runtime-path "$WORK/repo/runtime"
    python3 "$HERE/gen_body.py" "$MODEL" "$WORK/body.json"
    python3 "$HERE/make_variants.py" "$WORK" > /dev/null
    for v in $VARIANTS; do
        (cd "$C/$v" && cargo build -q --release -j1 && cargo build -q -j1)
    done
    for s in $SIDES; do
        (cd "$C/bench-$s" && cargo build -q --release -j1)
    done
}

verify() {
    for s in $SIDES; do "$C/bench-$s/target/release/bench-$s" "$WORK/body.json" "$WORK/out" 1 > /dev/null; done
    python3 - "$WORK" <<'PY' | tee "$R/verify.txt"
import json, math, sys
w = sys.argv[1]
body = json.load(open(f"{w}/body.json"))
def same(a, b):  # JSON values equal, numbers to f32 precision
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-7)
    return a == b
for what in ("result", "request"):
    texts = {s: open(f"{w}/out/{s}-{what}.json", "rb").read() for s in ("emitted", "serde", "schema")}
    for s, t in texts.items():
        print(f"{what}: {s}: {len(t)} bytes, identical to emitted's: {t == texts['emitted']}",
              f", equal to the body: {same(body, json.loads(t))}" if what == "result" else "")
PY
}

behaviour() {
    for s in $SIDES; do
        (cd "$C/bench-$s" && cargo build -q --release -j1 --bin behaviour && ./target/release/behaviour)
    done 2>&1 | tee "$R/behaviour.txt"
}

runtime() {
    for run in $(seq "$RUNS"); do
        for s in $SIDES; do
            echo "$s run $run, $(uptime)" | tee -a "$R/runtime-load.txt"
            "$C/bench-$s/target/release/bench-$s" "$WORK/body.json" "$WORK/out" > "$R/runtime-$s-$run.txt"
        done
    done
}

instructions() { # instructions per operation: (count at N+1 - count at 1) / N, valgrind
    irefs() {
        valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 \
            | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
    }
    for s in $SIDES; do
        for what in decode decode-path encode request; do
            [ $what = decode-path ] && [ $s != serde ] && continue
            n=5; [ $what = request ] && n=2000
            bin="$C/bench-$s/target/release/bench-$s"
            one=$(irefs "$bin" "$WORK/body.json" "$WORK/out" "count:$what:1")
            more=$(irefs "$bin" "$WORK/body.json" "$WORK/out" "count:$what:$((n + 1))")
            echo "$s $what $(( (more - one) / n ))" | tee -a "$R/instructions.txt"
        done
    done
}

timed() { # NAME DIR CARGO-ARGS...: one timed build; checks that exactly one crate was compiled
    local name=$1 dir=$2
    shift 2
    /usr/bin/time -v -o "$R/time/$name.txt" bash -c "cd '$dir' && cargo build -v $* 2>&1 | grep -c '^ *Compiling' > '$R/time/$name.compiled'"
    echo "$name compiled=$(cat "$R/time/$name.compiled") $(uptime)" | tee -a "$R/build-load.txt"
}

consumers() { # the consumer of one operation, where serde's generic code is monomorphised
    for run in $(seq "$RUNS"); do
        for s in $SIDES; do
            (cd "$C/bench-$s" && cargo build -q --release --bin "bench-$s")   # the variant is current
            touch "$C/bench-$s/src/main.rs"
            timed "consumer-$s-release-$run" "$C/bench-$s" --release --bin "bench-$s"
        done
    done
}

build() {
    for run in $(seq "$RUNS"); do
        for profile in release debug; do
            flag=""; [ $profile = release ] && flag="--release"
            for v in $VARIANTS; do
                touch "$C/$v/src/lib.rs"
                timed "$v-$profile-$run" "$C/$v" $flag
            done
        done
    done
    consumers
    # What every user compiles once: the dependencies alone, from nothing (release).
    for run in $(seq "$RUNS"); do
        for v in emitted serde schema; do
            case $v in
                emitted) pkgs="-p smithgen-runtime" ;;
                serde) pkgs="-p smithgen-runtime -p serde -p serde_json" ;;
                schema) pkgs="-p smithgen-runtime -p schema-rt" ;;
            esac
            rm -rf "$WORK/cold"
            /usr/bin/time -v -o "$R/time/deps-$v-release-$run.txt" \
                bash -c "cd '$C/$v' && CARGO_TARGET_DIR='$WORK/cold' cargo build -q --release $pkgs"
            echo "deps-$v run $run $(uptime)" | tee -a "$R/build-load.txt"
        done
    done
    rm -rf "$WORK/cold"
    for v in $VARIANTS; do
        (cd "$C/$v" && cargo tree -q -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u > "$R/deps-$v.txt")
    done
}

summary() {
    python3 "$HERE/summarize.py" "$WORK" | tee "$R/summary.md"
}

for step in $STEPS; do
    echo "== $step"
    $step
done
