#!/usr/bin/env bash
# deploy/compose.yaml, without docker (no engine here): compose_check.py parses it and checks the services, the
# ${VAR:?} secrets (a missing or empty one must stop compose), AOF and the named volume; then the redis service's
# exact command line is run with a real redis-server (config path mapped to deploy/redis.conf, --dir /data to a
# temp dir, port to a free one) and checked: it starts, wants the password, and reports appendonly yes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

compose="$deploy/compose.yaml"
[ -f "$compose" ] || die "$compose is missing"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" -c 'import yaml' 2>/dev/null || die "python3 yaml module missing (Debian's python3-yaml; deploy/install-deps.sh installs it)"
"$python" "$(dirname "${BASH_SOURCE[0]}")/compose_check.py" "$compose" "$work" || die "compose.yaml checks failed"

# The redis command as compose would run it (first word is the program), with host paths.
mapfile -t argv <"$work/redis-argv"
[ "${argv[0]}" = redis-server ] || die "redis command should start with redis-server, got '${argv[0]}'"
args=()
for a in "${argv[@]:1}"; do
    case "$a" in
        /usr/local/etc/redis/redis.conf) args+=("$deploy/redis.conf") ;;
        /data) args+=("$work") ;;
        *) args+=("$a") ;;
    esac
done
for _ in $(seq 1 20); do
    port=$(random_port)
    redis-server "${args[@]}" --port "$port" --logfile "$work/redis.log" --daemonize no &
    pid=$!
    if wait_for 5 bash -c "kill -0 $pid 2>/dev/null && REDISCLI_AUTH=0123abcd redis-cli -p $port ping 2>/dev/null | grep -q PONG"; then
        started_pids+=("$pid")
        break
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    grep -q 'FATAL CONFIG' "$work/redis.log" 2>/dev/null && { cat "$work/redis.log" >&2; die "redis-server rejected compose's command line"; }
    pid=""
done
[ -n "${pid:-}" ] || { cat "$work/redis.log" >&2 || true; die "redis-server did not start with compose's command line"; }
pass "redis-server starts with compose's command line: ${argv[*]//0123abcd/<password>}"

noauth=$(redis-cli -p "$port" ping 2>&1 || true)
if [[ "$noauth" == *NOAUTH* ]]; then pass "without the password redis refuses: $noauth"; else fail "redis answered '$noauth' without a password"; fi
got=$(REDISCLI_AUTH=0123abcd redis-cli -p "$port" config get appendonly | sed -n 2p)
[ "$got" = yes ] && pass "appendonly = yes under compose's command" || fail "appendonly = '$got' under compose's command"
got=$(REDISCLI_AUTH=0123abcd redis-cli -p "$port" config get dir | sed -n 2p)
[ "$got" = "$work" ] && pass "data dir is the volume's mount point" || fail "dir = '$got', expected the /data volume"
got=$(REDISCLI_AUTH=0123abcd redis-cli -p "$port" config get bind | sed -n 2p)
[ "$got" = "* -::*" ] && pass "listens on the compose network (bind '$got')" || fail "bind = '$got', the bot container could not connect"

finish
