#!/usr/bin/env bash
# ColPack's row colorings of the jacobian-bench patterns, for comparison with
# the library's RowColoring (report/colpack.json, one object per line).
# Needs Debian's libcolpack-dev: installed with apt-get when run as root,
# otherwise the command to run is printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ ! -f /usr/include/ColPack/ColPackHeaders.h ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        apt-get install -y --no-install-recommends libcolpack-dev
    else
        echo "ColPack is missing: run  sudo apt-get install libcolpack-dev" >&2
        exit 1
    fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
g++ -O2 -std=c++17 -fopenmp -I/usr/include/ColPack "$here/row_coloring.cpp" -o "$work/row_coloring" -lColPack
mkdir -p "$root/report"
"$work/row_coloring" | tee "$root/report/colpack.json"
