#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, and runs every test
# (unit, integration against a real redis-server it starts and stops, end-to-end against the real binary,
# fuzz targets for a bounded number of runs). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${RB_BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
"$root/deploy/build.sh" "$build"
cd "$build"
exec "$root/tests/redis.sh" ctest --output-on-failure --timeout 600 "$@"
