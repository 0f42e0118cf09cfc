#!/usr/bin/env bash
# deploy/redis.conf: a real redis-server started with the sample (bind, port, dir and logfile overridden on the
# command line to a temp dir and a free loopback port) must accept it and report appendonly yes, appendfsync
# everysec, maxmemory-policy noeviction and protected-mode yes; the AOF must appear in its dir; and with memory
# full, a write must fail with OOM while every key already written is still there (nothing evicted).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

conf="$deploy/redis.conf"
[ -f "$conf" ] || die "$conf is missing"
command -v redis-server >/dev/null || die "redis-server not found (deploy/install-deps.sh installs it)"
command -v redis-cli >/dev/null || die "redis-cli not found"

# Text checks: the settings the brief names, uncommented, and no live password in a sample.
check "appendonly yes" grep -Eq '^appendonly\s+yes\s*$' "$conf"
check "appendfsync everysec" grep -Eq '^appendfsync\s+everysec\s*$' "$conf"
check "maxmemory-policy noeviction" grep -Eq '^maxmemory-policy\s+noeviction\s*$' "$conf"
check "says why noeviction (evicting loses reminders)" grep -Eiq '^#.*evict.*reminder|^#.*reminder.*evict' "$conf"
check "bind 127.0.0.1" grep -Eq '^bind\s+127\.0\.0\.1' "$conf"
check "protected-mode yes" grep -Eq '^protected-mode\s+yes\s*$' "$conf"
check "requirepass only as a commented placeholder" bash -c "! grep -Eq '^requirepass' '$conf' && grep -Eq '^#\s*requirepass' '$conf'"

# start_redis PORT: the sample plus overrides; returns 1 if the process exited (port taken or config rejected).
start_redis() {
    local p=$1
    redis-server "$conf" --port "$p" --bind 127.0.0.1 --dir "$work" --logfile "$work/redis.log" \
        --pidfile "$work/redis.pid" --daemonize no &
    redis_pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$redis_pid" 2>/dev/null || { wait "$redis_pid" 2>/dev/null || true; return 1; }
        redis-cli -p "$p" ping 2>/dev/null | grep -q PONG && { started_pids+=("$redis_pid"); return 0; }
        sleep 0.05
    done
    kill -KILL "$redis_pid" 2>/dev/null || true
    return 1
}
port=""
for _ in $(seq 1 20); do
    candidate=$(random_port)
    if start_redis "$candidate"; then port=$candidate; break; fi
    if grep -qiE 'bad directive|FATAL CONFIG' "$work/redis.log" 2>/dev/null; then
        cat "$work/redis.log" >&2
        die "redis-server rejected deploy/redis.conf"
    fi
done
[ -n "$port" ] || { cat "$work/redis.log" >&2 || true; die "redis-server did not start with deploy/redis.conf"; }
pass "redis-server $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') accepts deploy/redis.conf (port $port)"

cli() { redis-cli -p "$port" "$@"; }
config_is() {  # config_is NAME VALUE
    local got
    got=$(cli config get "$1" | sed -n 2p)
    [ "$got" = "$2" ] || { echo "  CONFIG GET $1 = '$got', expected '$2'" >&2; return 1; }
}
check "CONFIG GET appendonly = yes" config_is appendonly yes
check "CONFIG GET appendfsync = everysec" config_is appendfsync everysec
check "CONFIG GET maxmemory-policy = noeviction" config_is maxmemory-policy noeviction
check "CONFIG GET protected-mode = yes" config_is protected-mode yes
check "CONFIG GET maxmemory is set (not unlimited)" bash -c "[ \"\$(redis-cli -p $port config get maxmemory | sed -n 2p)\" != 0 ]"
check "the AOF is created in dir" wait_for 5 bash -c "ls '$work'/appendonlydir/*.aof* >/dev/null 2>&1"

# noeviction in practice: shrink maxmemory to just above what is used, write until refused.
used=$(cli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p' | tr -d '\r')
cli config set maxmemory $((used + 256 * 1024)) >/dev/null
value=$(head -c 4096 /dev/zero | tr '\0' 'x')
written=0
oom=""
for i in $(seq 1 2000); do
    reply=$(cli set "rb:reminder:$i" "$value" 2>&1)
    if [ "$reply" = OK ]; then written=$i; else oom=$reply; break; fi
done
if [[ "$oom" == OOM* ]]; then pass "a write over maxmemory is refused: ${oom:0:60}"; else fail "no OOM error after $written writes (last reply: '$oom')"; fi
keys=$(cli dbsize)
if [ "$written" -gt 0 ] && [ "$keys" -eq "$written" ]; then
    pass "all $written keys written before the limit are still there (none evicted)"
else
    fail "$written keys written, $keys left: something was evicted"
fi
check "INFO stats evicted_keys:0" bash -c "redis-cli -p $port info stats | grep -q '^evicted_keys:0'"

finish
