#!/usr/bin/env bash
# `ecojuris locate --input` against its I/O floor and against shapely 2, end to end, in one run.
#
#   tests/benches/locate-floor.sh [N] [MODE]      (defaults: 1000000 mix)
#
# 1. builds `ecojuris` (--release) and the floor program tests/benches/baseline/floor.rs
#    (rustc -O: read the CSV, parse both numbers, write rows as wide as ecojuris's, no lookup);
# 2. creates the pinned shapely venv (tests/benches/baseline/venv.sh) and generates N points
#    (tests/benches/baseline/gen_points.py; MODE `mix`: 90 % in a county, 10 % anywhere in the
#    bounding box; `bbox`: uniform in the bounding box, about half in no county);
# 3. runs, interleaved, RUNS times (default 3): the floor, `ecojuris locate --input … --output …`
#    (every column: unit, name, province, border flag, candidates within 100 m, status with the
#    nearest unit of an outside point, features) and shapely end to end (load polygons, read
#    CSV with pandas, STRtree + prepared contains_xy, write id,adcode);
# 4. prints the medians (wall, CPU) and the ratios. With BEFORE=path/to/old/ecojuris it also
#    runs that binary and checks that both outputs are byte-identical.
#
# Outputs go to target/locate-floor/ (override with OUT). Nothing is installed system-wide.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-1000000}
MODE=${2:-mix}
RUNS=${RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-$CARGO_TARGET_DIR/locate-floor}
mkdir -p "$OUT"
GEO=$ROOT/geodata/source/counties.geojson

echo "== building (release)" >&2
(cd "$ROOT" && cargo build --release -q)
BIN=$CARGO_TARGET_DIR/release/ecojuris
FLOOR=$CARGO_TARGET_DIR/release/locate-floor
rustc --edition 2024 -C opt-level=3 -C codegen-units=1 "$ROOT/tests/benches/baseline/floor.rs" -o "$FLOOR"
PY=$(bash "$ROOT/tests/benches/baseline/venv.sh")

PTS=$OUT/pts_${MODE}_$N.csv
if [ ! -s "$PTS" ]; then
  echo "== generating $N points ($MODE)" >&2
  "$PY" "$ROOT/tests/benches/baseline/gen_points.py" "$GEO" "$N" "$PTS" "$MODE"
fi

# Row width of the ecojuris output, for the floor (one untimed warm-up run).
"$BIN" locate --input "$PTS" --output "$OUT/eco.csv" 2>/dev/null || true
WIDTH=$(( $(stat -c %s "$OUT/eco.csv") / (N + 1) ))

T='{"wall": %e, "user": %U, "sys": %S, "cpu": "%P", "rss_kib": %M}'
: > "$OUT/times.jsonl"
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS" >&2
  /usr/bin/time -f "{\"tool\": \"floor\", \"t\": $T}" -a -o "$OUT/times.jsonl" \
    "$FLOOR" "$PTS" "$OUT/floor.csv" "$WIDTH" 2>/dev/null
  /usr/bin/time -f "{\"tool\": \"ecojuris\", \"t\": $T}" -a -o "$OUT/times.jsonl" \
    "$BIN" locate --input "$PTS" --output "$OUT/eco.csv" 2>/dev/null || true
  /usr/bin/time -f "{\"tool\": \"shapely\", \"t\": $T}" -a -o "$OUT/times.jsonl" \
    "$PY" "$ROOT/tests/benches/baseline/shapely_locate.py" e2e "$GEO" "$PTS" "$OUT/shapely.csv" >/dev/null
done
if [ -n "${BEFORE:-}" ]; then
  "$BEFORE" locate --input "$PTS" --output "$OUT/before.csv" 2>/dev/null || true
  if cmp -s "$OUT/before.csv" "$OUT/eco.csv"; then
    echo "output identical to $BEFORE ($(stat -c %s "$OUT/eco.csv") bytes)"
  else
    echo "OUTPUT DIFFERS from $BEFORE: $(cmp "$OUT/before.csv" "$OUT/eco.csv" | head -1)"
    exit 1
  fi
fi

"$PY" - "$OUT/times.jsonl" "$N" "$MODE" "$WIDTH" "$(nproc)" "$OUT" <<'EOF'
import json, sys
path, n, mode, width, cores, out = sys.argv[1:7]
recs = [json.loads(l) for l in open(path) if l.startswith("{")]  # time(1) adds "Command exited…" lines
med = lambda xs: sorted(xs)[len(xs) // 2]
def stat(tool):
    r = [x["t"] for x in recs if x["tool"] == tool]
    return {"wall": med([x["wall"] for x in r]), "cpu_s": med([x["user"] + x["sys"] for x in r]),
            "cpu": med([int(x["cpu"].rstrip("%")) for x in r]), "rss": med([x["rss_kib"] for x in r]) / 1024,
            "runs": [x["wall"] for x in r]}
f, e, s = stat("floor"), stat("ecojuris"), stat("shapely")
print(f"N = {n} points ({mode}), {cores} cores, {len([x for x in recs if x['tool'] == 'floor'])} interleaved runs, output rows {width} bytes wide")
for name, x in (("floor (read, parse, write; no lookup)", f), ("ecojuris locate --input", e), ("shapely 2 end to end", s)):
    print(f"  {name:40s} wall {x['wall']:6.2f} s  cpu {x['cpu_s']:6.2f} s  ({x['cpu']}% of one core)  rss {x['rss']:4.0f} MiB  runs {x['runs']}")
print(f"ratio ecojuris / floor (wall)      = {e['wall'] / f['wall']:.2f}x   (target <= 2)")
print(f"ratio shapely / ecojuris (wall)    = {s['wall'] / e['wall']:.1f}x   (target >= 10)")
print(f"ratio ecojuris / floor (CPU s)     = {e['cpu_s'] / f['cpu_s']:.2f}x   (work done, whatever the cores granted)")
print(f"ratio shapely / ecojuris (CPU s)   = {s['cpu_s'] / e['cpu_s']:.1f}x")
print(f"ecojuris CPU use                   = {e['cpu']}% of one core (more than 100% = both cores used)")
import csv
agree = total = 0
with open(f"{out}/eco.csv") as a, open(f"{out}/shapely.csv") as b:
    ra, rb = csv.reader(a), csv.reader(b)
    next(ra); next(rb)
    for x, y in zip(ra, rb):
        total += 1
        agree += (x[1] == y[1])
print(f"agreement with shapely (same county or both none): {agree}/{total}")
EOF
