#!/usr/bin/env bash
# Configures and builds recovery-bot: `deploy/build.sh [BUILD_DIR] [TARGET...]`. Used by run.sh, test.sh and
# the Dockerfile alike, so the image is built by exactly the commands the tests run. BUILD_TYPE=Release for
# a release build (default RelWithDebInfo); JOBS defaults to the cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
shift || true
# ccache: paths relative to the checkout and no build directory in the hash, so a second clone (CI's clean clone,
# a sanitizer tree) reuses what the first compiled. Debug info then names the first clone's paths; nothing else.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-}
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" -j "${JOBS:-$(nproc)}" "${targets[@]}"
