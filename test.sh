#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything, and runs every test
# (unit, integration against a real redis-server it starts and stops, end-to-end against the real binary,
# fuzz targets for a bounded number of runs). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${RB_BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
"$root/deploy/build.sh" "$build"
(cd "$build" && "$root/tests/redis.sh" ctest --output-on-failure --timeout 600 "$@")

# RB_SANITIZE=1 (CI sets it): the unit and integration tests again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer in a second tree, so a memory or UB error in handlers/, storage/ or bot/'s pure parts
# fails the run. Any sanitizer report aborts the test (halt_on_error), and ctest shows it as failed.
if [ "${RB_SANITIZE:-0}" = 1 ]; then
  asan_build="${RB_ASAN_BUILD_DIR:-$root/build-asan}"
  BUILD_TYPE=RelWithDebInfo CMAKE_ARGS="-DBOT_SANITIZE=ON -DBOT_BENCH=OFF" \
    "$root/deploy/build.sh" "$asan_build" unit_tests bot_unit_tests integration_tests
  cd "$asan_build"
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$root/tests/redis.sh" ctest --output-on-failure --timeout 600 -L 'unit|integration'
fi
