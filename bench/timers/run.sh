#!/usr/bin/env bash
# bench/timers: in one run, against one private redis-server (started by tests/redis.sh, stopped after):
#   1. baseline: redis-benchmark -P 16 -t zadd (50 clients, 16 pipelined each)
#   2. bench_timers: reminder_store.schedule (whole plans) and claim+ack with 16 operations in flight
# Usage: bench/timers/run.sh [build-dir]   (default build-dir: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
bin="$build/bench/timers/bench_timers"
[ -x "$bin" ] || { echo "run.sh: $bin not built (cmake --build $build --target bench_timers)" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "run.sh: redis-benchmark not in PATH" >&2; exit 1; }

BENCH_BIN=$bin exec "$root/tests/redis.sh" bash -c '
    set -euo pipefail
    port=${RB_TEST_REDIS_URL##*:}; port=${port%%/*}
    # Plain ZADD as the issue states it (one member rewritten, the fastest case): the strictest baseline.
    line=$(redis-benchmark -h 127.0.0.1 -p "$port" -P 16 -t zadd -n 2000000 --csv | grep -i zadd)
    baseline=$(echo "$line" | cut -d, -f2 | tr -d "\"")
    redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null
    "$BENCH_BIN" --url "$RB_TEST_REDIS_URL" --baseline "$baseline" --concurrency 16 "$@"
' bench "${@:2}"
