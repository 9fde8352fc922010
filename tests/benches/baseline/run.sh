#!/usr/bin/env bash
# ecojuris point location vs the shapely 2 baseline, in one run, on the same points and the
# same county polygons (geodata/source/counties.geojson = shared/geodata/yrd-counties.geojson).
#
#   tests/benches/baseline/run.sh [N] [OUT_DIR]        (defaults: 1000000, target-spatial/baseline)
#
# 1. generates N points uniformly in the bounding box of the county vertices (fixed seed;
#    `id,lon,lat,case_type`, 7 decimals) and the shared harness's rule table;
# 2. runs, interleaved, REPEATS_RUNS times (default 1):
#    - shapely bbox-prep (STRtree bbox candidates + prepared contains_xy, vectorised; the
#      fastest Python path) via $BENCH/bench_shapely.py — lookup time excludes CSV I/O;
#    - ecojuris `unit_at` in memory on one thread (tests/benches/locate.rs engine mode) —
#      lookup time excludes CSV I/O, like the Python tool;
#    - the `ecojuris locate --input … --output …` command end to end (CSV in, full `locate`
#      with 100 m border candidates, nearest unit, features, CSV out; all cores);
# 3. prints the ratios and the agreement (share of points given the same county).
#
# Needs python3 with shapely 2, numpy, pandas: $PY (default: a venv under target-spatial/,
# created on first use; nothing is installed system-wide or committed). The harness is read
# from $BENCH (default: ../shared/bench beside the repository) and not copied.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
N=${1:-1000000}
OUT=$(mkdir -p "${2:-$ROOT/target-spatial/baseline}" && cd "${2:-$ROOT/target-spatial/baseline}" && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
REPEATS=${REPEATS:-3}          # in-process lookup repeats (median) for both in-memory tools
REPEATS_RUNS=${REPEATS_RUNS:-1} # how many times the whole interleaved sequence runs
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-spatial}
export PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0
GEO=$ROOT/geodata/source/counties.geojson

if [ -z "${PY:-}" ]; then
  PY=$CARGO_TARGET_DIR/venv/bin/python
  if ! "$PY" -c "import shapely, numpy, pandas" 2>/dev/null; then
    python3 -m venv "$CARGO_TARGET_DIR/venv"
    "$CARGO_TARGET_DIR/venv/bin/pip" install -q "shapely>=2.0" numpy pandas
  fi
fi

echo "== building (release)" >&2
(cd "$ROOT" && cargo build --release -q && cargo bench --bench locate --no-run -q 2>/dev/null)
BIN=$CARGO_TARGET_DIR/release/ecojuris

PTS=$OUT/pts_$N.csv
RULES=$OUT/rules.csv
if [ ! -s "$PTS" ]; then
  echo "== generating $N points" >&2
  "$PY" - "$GEO" "$N" "$PTS" <<'EOF'
import json, sys
import numpy as np
geo, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
xs, ys = [], []
def walk(c):
    if isinstance(c[0], (int, float)):
        xs.append(c[0]); ys.append(c[1])
    else:
        for e in c: walk(e)
for f in json.load(open(geo))["features"]:
    walk(f["geometry"]["coordinates"])
x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
rng = np.random.default_rng(20261127)
x = rng.uniform(x0, x1, n); y = rng.uniform(y0, y1, n)
ct = np.array(["criminal", "civil", "administrative"])[rng.choice(3, size=n, p=[0.30, 0.55, 0.15])]
with open(out, "w") as fh:
    fh.write("id,lon,lat,case_type\n")
    fh.writelines(f"{i},{a:.7f},{b:.7f},{c}\n" for i, (a, b, c) in enumerate(zip(x.tolist(), y.tolist(), ct.tolist()), 1))
print(f"{out}: {n} points uniform in {x0},{y0},{x1},{y1}", file=sys.stderr)
EOF
fi
[ -s "$RULES" ] || (cd "$BENCH" && "$PY" gen_rules.py "$GEO" "$RULES")

: > "$OUT/results.jsonl"
for run in $(seq 1 "$REPEATS_RUNS"); do
  echo "== run $run: shapely bbox-prep" >&2
  /usr/bin/time -f '{"tool": "shapely-process", "n": '"$N"', "wall_s": %e, "user_s": %U, "sys_s": %S, "max_rss_kib": %M}' \
    -o "$OUT/time_shapely.json" \
    bash -c "cd '$BENCH' && '$PY' bench_shapely.py '$GEO' '$PTS' '$RULES' --variant bbox-prep --repeats $REPEATS --out '$OUT/res_shapely.csv'" \
    2> "$OUT/shapely.err" | grep '^{' | tail -1 >> "$OUT/results.jsonl"
  tail -1 "$OUT/time_shapely.json" >> "$OUT/results.jsonl"

  echo "== run $run: ecojuris unit_at (in memory, 1 thread)" >&2
  (cd "$ROOT" && ECOJURIS_ENGINE_POINTS=$PTS ECOJURIS_ENGINE_OUT=$OUT/res_engine.csv ECOJURIS_ENGINE_REPEATS=$REPEATS \
    cargo bench --bench locate -q 2>/dev/null) | grep '^{' | tail -1 >> "$OUT/results.jsonl"

  echo "== run $run: ecojuris locate --input (end to end)" >&2
  /usr/bin/time -f '{"tool": "ecojuris-cli", "n": '"$N"', "wall_s": %e, "user_s": %U, "sys_s": %S, "max_rss_kib": %M, "cpu": "%P"}' \
    -o "$OUT/time_cli.json" "$BIN" locate --input "$PTS" --output "$OUT/res_cli.csv" 2> "$OUT/cli.err" || true
  tail -1 "$OUT/time_cli.json" >> "$OUT/results.jsonl"
done

echo "== results ($OUT/results.jsonl)" >&2
"$PY" - "$OUT" "$N" "$(nproc)" <<'EOF'
import json, sys
import pandas as pd
out, n, cores = sys.argv[1], int(sys.argv[2]), sys.argv[3]
recs = [json.loads(l) for l in open(f"{out}/results.jsonl") if l.strip()]
def last(tool):
    r = [x for x in recs if x.get("tool") == tool]
    return r
sh, en, shp, cli = last("shapely-bbox-prep"), last("ecojuris-unit_at"), last("shapely-process"), last("ecojuris-cli")
med = lambda xs: sorted(xs)[len(xs) // 2]
print(f"N = {n}, {cores} cores")
sh_pps = med([r["points_per_s"] for r in sh]); en_pps = med([r["points_per_s"] for r in en])
print(f"lookup only (CSV I/O excluded, 1 thread):")
print(f"  shapely bbox-prep  lookup_s {med([r['lookup_s'] for r in sh]):.3f}  {sh_pps:,} pts/s  load_s {med([r['load_s'] for r in sh]):.3f}  peak RSS {med([r['peak_rss_mib'] for r in sh]):.0f} MiB")
print(f"  ecojuris unit_at   lookup_s {med([r['lookup_s'] for r in en]):.3f}  {en_pps:,} pts/s  load_s {med([r['load_s'] for r in en]):.3f}")
print(f"  ratio ecojuris / shapely = {en_pps / sh_pps:.1f}x")
sw = med([r["wall_s"] for r in shp]); cw = med([r["wall_s"] for r in cli])
print(f"whole process (load + read CSV + look up + write CSV):")
print(f"  shapely bench_shapely.py (load x3, lookup x3): wall {sw:.2f} s, user {med([r['user_s'] for r in shp]):.2f} s, max RSS {med([r['max_rss_kib'] for r in shp]) / 1024:.0f} MiB")
print(f"  ecojuris locate --input (full locate):      wall {cw:.2f} s, user {med([r['user_s'] for r in cli]):.2f} s, max RSS {med([r['max_rss_kib'] for r in cli]) / 1024:.0f} MiB, cpu {cli[-1]['cpu']}")
ref = pd.read_csv(f"{out}/res_shapely.csv", dtype={"adcode": str}).fillna("").drop_duplicates("id").set_index("id")["adcode"]
for name in ("res_engine.csv", "res_cli.csv"):
    d = pd.read_csv(f"{out}/{name}", dtype={"adcode": str}, usecols=["id", "adcode"]).fillna("")
    d["id"] = pd.to_numeric(d["id"], errors="coerce")
    d = d.dropna().astype({"id": "int64"}).drop_duplicates("id").set_index("id")["adcode"]
    j = pd.concat([ref.rename("ref"), d.rename("other")], axis=1).fillna("")
    agree = int((j["ref"] == j["other"]).sum())
    dis = j[j["ref"] != j["other"]]
    print(f"agreement shapely vs {name}: {agree}/{len(j)} = {agree / len(j):.6%} same county; "
          f"matched shapely {int((j['ref'] != '').sum())}, other {int((j['other'] != '').sum())}; "
          f"disagreements {len(dis)}" + (f", e.g. {dis.head(5).to_dict('index')}" if len(dis) else ""))
EOF
