#!/usr/bin/env bash
# Runs a command against one private redis-server started for it: temp dir, port from RB_TEST_REDIS_PORT or a
# free one, pidfile, cleanup on any exit. Exports RB_TEST_REDIS_URL. Usage: tests/redis.sh ctest --test-dir build
# Only the PID this script started is ever signalled.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 command [args...]" >&2
    exit 2
fi
command -v redis-server >/dev/null || { echo "redis.sh: redis-server not found in PATH" >&2; exit 1; }

dir=$(mktemp -d /tmp/rb-test-redis-XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# Starts redis-server on port $1 and waits for PING; returns 1 if it exited (port taken), 2 if it never answered.
start_on() {
    local port=$1
    redis-server --port "$port" --bind 127.0.0.1 --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
        --daemonize no &
    pid=$!
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; pid=""; return 1; }
        if redis-cli -s "$dir/redis.sock" ping 2>/dev/null | grep -q PONG; then return 0; fi
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
    return 2
}

if [ -n "${RB_TEST_REDIS_PORT:-}" ]; then
    start_on "$RB_TEST_REDIS_PORT" || { echo "redis.sh: cannot start on port $RB_TEST_REDIS_PORT" >&2; cat "$dir/redis.log" >&2; exit 1; }
    port=$RB_TEST_REDIS_PORT
else
    # Let redis-server bind a random port and retry on failure: never bind-then-close to "find" a free one.
    port=""
    for _ in $(seq 1 30); do
        candidate=$(( 20000 + RANDOM % 40000 ))
        rc=0; start_on "$candidate" || rc=$?
        if [ "$rc" -eq 0 ]; then port=$candidate; break; fi
        [ "$rc" -eq 1 ] || { echo "redis.sh: redis-server did not answer" >&2; cat "$dir/redis.log" >&2; exit 1; }
    done
    [ -n "$port" ] || { echo "redis.sh: no free port after 30 tries" >&2; cat "$dir/redis.log" >&2; exit 1; }
fi

export RB_TEST_REDIS_URL="redis://127.0.0.1:${port}/0"
export RB_TEST_REDIS_SOCKET="$dir/redis.sock"
echo "redis.sh: redis-server pid $pid at $RB_TEST_REDIS_URL" >&2
set +e
"$@"
status=$?
set -e
exit $status
