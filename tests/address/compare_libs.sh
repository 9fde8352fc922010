#!/usr/bin/env bash
# Side-by-side accuracy of jionlp and cpca (PyPI, pinned) on the same rows as ecojuris:
# tests/address/real.csv (real texts) and the "city + town without county" rows of
# tests/address/city_town.csv. Creates a throw-away venv (EJ_COMPARE_VENV=DIR to keep one).
#
#   tests/address/compare_libs.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${EJ_COMPARE_VENV:-$(mktemp -d -t ejcompare.XXXXXX)/venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/compare-requirements.txt"
"$venv/bin/python" "$here/compare_libs.py" "$here/real.csv" "$here/city_town.csv"
