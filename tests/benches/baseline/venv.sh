#!/usr/bin/env bash
# Creates (once) the Python venv the locate benchmarks compare against and prints its python.
#
#   tests/benches/baseline/venv.sh            # → target/bench-venv/bin/python
#
# Pinned versions, installed from PyPI with pip into the venv only (nothing system-wide, nothing
# committed). Override the location with BENCH_VENV.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
VENV=${BENCH_VENV:-$ROOT/target/bench-venv}
PY=$VENV/bin/python
if ! "$PY" -c "import shapely, numpy, pandas; assert shapely.__version__ == '2.2.0'" 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "shapely==2.2.0" "numpy==2.4.6" "pandas==3.1.1" >&2
fi
echo "$PY"
