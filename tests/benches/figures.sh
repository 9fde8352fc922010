#!/usr/bin/env bash
# The three performance figures of the README, in one run, each as a ratio against a baseline
# measured in the same run (the machine is shared and noisy), best of RUNS (default 3).
#
#   tests/benches/figures.sh [N_POINTS] [N_CASES]        (defaults: 1000000 1000000)
#
# It builds once (release: `ecojuris`, the `locate` bench binary, and the floor program
# tests/benches/baseline/floor.rs with rustc -O), generates the inputs, then prints:
#   (a) point lookup: `unit_at` (FastIndex) points/s vs the brute-force scan, one thread,
#       on-CPU medians (the `ratios` block of `cargo bench --bench locate`, criterion skipped);
#   (b) `ecojuris locate --input` on N_POINTS points (90 % in a county, 10 % anywhere in the
#       bounding box; every column) vs the floor program (read, parse both numbers, write rows
#       as wide, no lookup) and vs shapely 2 end to end (STRtree + prepared contains_xy, pandas
#       CSV in and out; pinned versions pip-installed into a venv under target/ by
#       tests/benches/baseline/venv.sh; skipped with a message when that fails);
#   (c) `ecojuris batch` on N_CASES JSONL cases (`ecojuris generate-cases --mode stress`,
#       compact output line): wall time, bytes per output line, and the ratio to the floor
#       program reading the same input and writing the same bytes (`floor --lines`).
# With BEFORE=path/to/older/ecojuris the older binary is timed in the same runs (b, c) and
# its outputs are compared byte for byte.
#
# Files go to target/figures/ (override with OUT). Nothing is installed system-wide.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NP=${1:-1000000}
NC=${2:-1000000}
RUNS=${RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-$CARGO_TARGET_DIR/figures}
mkdir -p "$OUT"
GEO=$ROOT/geodata/source/counties.geojson
TODAY=2026-06-01

echo "== building (release, once)" >&2
(cd "$ROOT" && cargo build --release -q && cargo bench --bench locate --no-run -q 2>/dev/null)
BIN=$CARGO_TARGET_DIR/release/ecojuris
BENCH=$(ls -t "$CARGO_TARGET_DIR"/release/deps/locate-* 2>/dev/null | grep -v '\.d$' | head -1)
FLOOR=$CARGO_TARGET_DIR/release/locate-floor
rustc --edition 2024 -C opt-level=3 -C codegen-units=1 "$ROOT/tests/benches/baseline/floor.rs" -o "$FLOOR"

PY=""
if PY=$(bash "$ROOT/tests/benches/baseline/venv.sh" 2>"$OUT/venv.log"); then :; else
  PY=""
  echo "== shapely skipped: could not create the pinned venv (pip unavailable?); see $OUT/venv.log" >&2
fi

# Inputs.
PTS=$OUT/pts_$NP.csv
if [ ! -s "$PTS" ]; then
  echo "== generating $NP points" >&2
  if [ -n "$PY" ]; then
    "$PY" "$ROOT/tests/benches/baseline/gen_points.py" "$GEO" "$NP" "$PTS" mix
  else
    # Without shapely: uniform in the bounding box (about half in no county; a harder mix).
    python3 - "$NP" "$PTS" <<'EOF'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(20261201)
with open(out, "w") as fh:
    fh.write("id,lon,lat\n")
    fh.writelines(f"{i},{r.uniform(114.877, 122.942):.7f},{r.uniform(27.045, 35.125):.7f}\n" for i in range(1, n + 1))
EOF
  fi
fi
CASES=$OUT/cases_$NC.jsonl
if [ ! -s "$CASES" ]; then
  echo "== generating $NC JSONL cases" >&2
  "$BIN" generate-cases --mode stress --count "$NC" --seed 1 --output "$CASES" 2>/dev/null
fi

# Widths for the floor, from one untimed warm-up run of each command.
"$BIN" locate --input "$PTS" --output "$OUT/eco.csv" 2>/dev/null || true
LW=$(( $(stat -c %s "$OUT/eco.csv") / (NP + 1) ))
"$BIN" batch "$CASES" --output "$OUT/eco.jsonl" --today $TODAY 2>/dev/null || true
BLINES=$(wc -l < "$OUT/eco.jsonl")
BW=$(( $(stat -c %s "$OUT/eco.jsonl") / BLINES ))

T='{"wall": %e, "user": %U, "sys": %S, "rss_kib": %M}'
TIMES=$OUT/times.jsonl
: > "$TIMES"
t() { local tool=$1; shift; /usr/bin/time -f "{\"tool\": \"$tool\", \"t\": $T}" -a -o "$TIMES" "$@" >/dev/null 2>&1 || true; }
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS" >&2
  t locate-floor "$FLOOR" "$PTS" "$OUT/floor.csv" "$LW"
  t locate "$BIN" locate --input "$PTS" --output "$OUT/eco.csv"
  if [ -n "${BEFORE:-}" ]; then t locate-before "$BEFORE" locate --input "$PTS" --output "$OUT/before.csv"; fi
  if [ -n "$PY" ]; then t shapely "$PY" "$ROOT/tests/benches/baseline/shapely_locate.py" e2e "$GEO" "$PTS" "$OUT/shapely.csv"; fi
  t batch-floor "$FLOOR" --lines "$CASES" "$OUT/floor.jsonl" "$BW"
  t batch "$BIN" batch "$CASES" --output "$OUT/eco.jsonl" --today $TODAY
  if [ -n "${BEFORE:-}" ]; then t batch-before "$BEFORE" batch "$CASES" --output "$OUT/before.jsonl" --today $TODAY; fi
done
if [ -n "${BEFORE:-}" ]; then
  for f in csv jsonl; do
    if cmp -s "$OUT/before.$f" "$OUT/eco.$f"; then echo "output identical to BEFORE: eco.$f"; else echo "OUTPUT DIFFERS from BEFORE: eco.$f"; fi
  done
fi

echo "== (a) point lookup, one thread (FastIndex unit_at vs brute force)" >&2
LOOKUP=$(ECOJURIS_BENCH_RATIOS_ONLY=1 ECOJURIS_BENCH_NO_SHAPELY=1 "$BENCH" 2>/dev/null | grep -E "^ +(unit_at |unit_at, |brute force |agreement)" || true)

python3 - "$TIMES" "$NP" "$NC" "$LW" "$BW" "$BLINES" "$(nproc)" <<EOF
import json, sys
path, np_, nc, lw, bw, blines, cores = sys.argv[1:8]
recs = [json.loads(l) for l in open(path) if l.startswith("{")]
def best(tool):
    r = [x["t"] for x in recs if x["tool"] == tool]
    if not r:
        return None
    b = min(r, key=lambda x: x["wall"])
    return {"wall": b["wall"], "cpu": b["user"] + b["sys"], "rss": b["rss_kib"] / 1024, "runs": [x["wall"] for x in r]}
print(f"figures, one run, {cores} cores, best of {max(len([x for x in recs if x['tool'] == 'locate']), 1)} (wall); CPU = user + sys of that run")
print("(a) point lookup, one thread:")
for l in """$LOOKUP""".splitlines():
    print("   " + l.strip())
f, e, s, eb = best("locate-floor"), best("locate"), best("shapely"), best("locate-before")
print(f"(b) locate --input, {np_} points, rows {lw} B wide:")
for name, x in (("floor (read, parse, write; no lookup)", f), ("ecojuris locate --input", e), ("ecojuris BEFORE", eb), ("shapely 2 end to end", s)):
    if x:
        print(f"   {name:38s} wall {x['wall']:6.2f} s  cpu {x['cpu']:6.2f} s  rss {x['rss']:5.0f} MiB  runs {x['runs']}")
print(f"   ecojuris / floor        = {e['wall'] / f['wall']:.2f}x wall, {e['cpu'] / f['cpu']:.2f}x CPU   (target <= 2x)")
if s:
    print(f"   shapely / ecojuris      = {s['wall'] / e['wall']:.1f}x wall, {s['cpu'] / e['cpu']:.1f}x CPU   (target >= 10x)")
else:
    print("   shapely / ecojuris      = skipped (no venv)")
if eb:
    print(f"   BEFORE / ecojuris       = {eb['wall'] / e['wall']:.2f}x wall, {eb['cpu'] / e['cpu']:.2f}x CPU")
bf, b, bb = best("batch-floor"), best("batch"), best("batch-before")
print(f"(c) batch, {nc} JSONL cases (stress population), compact line {bw} B ({blines} lines):")
for name, x in (("floor (read, write same bytes)", bf), ("ecojuris batch", b), ("ecojuris BEFORE", bb)):
    if x:
        print(f"   {name:38s} wall {x['wall']:6.2f} s  cpu {x['cpu']:6.2f} s  rss {x['rss']:5.0f} MiB  runs {x['runs']}")
print(f"   ecojuris batch          = {b['wall']:.2f} s wall (target <= 3 s), {b['wall'] / bf['wall']:.1f}x the floor wall, {b['cpu'] / bf['cpu']:.1f}x CPU")
if bb:
    print(f"   BEFORE / ecojuris       = {bb['wall'] / b['wall']:.2f}x wall, {bb['cpu'] / b['cpu']:.2f}x CPU")
EOF
