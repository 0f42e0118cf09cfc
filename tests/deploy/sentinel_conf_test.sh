#!/usr/bin/env bash
# deploy/sentinel.conf and deploy/compose.sentinel.yaml. The text of the sample (settings, placeholders, TLS
# commented); compose.sentinel.yaml parsed without docker (names, secrets, volumes) and its sentinels' start-up
# script run on the sample; then the topology with real processes on loopback: a primary and a replica from
# deploy/redis.conf (with a password, overrides on the command line as in redis_conf_test.sh), sentinels 1 and 2
# from copies of deploy/sentinel.conf and sentinel 3 from the copy compose's script makes, each rewritten for
# loopback. All three must name the primary, find the replica and each other, and after the primary is killed
# agree on the replica; `recovery-bot check-config` must accept the sentinel settings and name bad ones.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

conf="$deploy/sentinel.conf"
compose="$deploy/compose.sentinel.yaml"
[ -f "$conf" ] || die "$conf is missing"
[ -f "$compose" ] || die "$compose is missing"
command -v redis-server >/dev/null || die "redis-server not found (deploy/install-deps.sh installs it)"
command -v redis-cli >/dev/null || die "redis-cli not found"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" -c 'import yaml' 2>/dev/null || die "python3 yaml module missing (Debian's python3-yaml; deploy/install-deps.sh installs it)"
need_binary
# Nothing here may change the samples (the sentinels rewrite config files): compared again at the end.
samples_sum=$(cat "$deploy/redis.conf" "$conf" "$compose" | md5sum)
# Debian's redis-sentinel package is a link to redis-server; without it the same binary runs as a sentinel.
if command -v redis-sentinel >/dev/null; then sentinel_cmd=(redis-sentinel); else sentinel_cmd=(redis-server); fi
sentinel_args() { [ "${sentinel_cmd[0]}" = redis-sentinel ] || echo --sentinel; }

# ---- The sample's text -------------------------------------------------------------------------------------
check "port 26379" grep -Eq '^port\s+26379\s*$' "$conf"
check "bind with loopback and a placeholder for this host's address" grep -Eq '^bind\s+127\.0\.0\.1\s+<[a-z-]+>' "$conf"
check "sentinel monitor recovery-redis <primary-ip> 6379 2" \
    grep -Eq '^sentinel\s+monitor\s+recovery-redis\s+<primary-ip>\s+6379\s+2\s*$' "$conf"
check "down-after-milliseconds 5000" grep -Eq '^sentinel\s+down-after-milliseconds\s+recovery-redis\s+5000\s*$' "$conf"
check "failover-timeout 60000" grep -Eq '^sentinel\s+failover-timeout\s+recovery-redis\s+60000\s*$' "$conf"
check "parallel-syncs 1" grep -Eq '^sentinel\s+parallel-syncs\s+recovery-redis\s+1\s*$' "$conf"
check "sentinel auth-pass only as a commented placeholder" \
    bash -c "! grep -Eq '^sentinel\s+auth-pass' '$conf' && grep -Eq '^#\s*sentinel\s+auth-pass\s+recovery-redis\s+replace' '$conf'"
check "requirepass only as a commented placeholder" \
    bash -c "! grep -Eq '^requirepass' '$conf' && grep -Eq '^#\s*requirepass\s+replace' '$conf'"
for line in 'tls-port 26379' 'tls-cert-file' 'tls-key-file' 'tls-ca-cert-file' 'tls-replication yes'; do
    check "TLS: '$line' commented, not live" \
        bash -c "! grep -Eq '^${line}' '$conf' && grep -Eq '^#\s*${line}' '$conf'"
done
check "resolve-hostnames and announce-hostnames commented, above the monitor line" bash -c "
    r=\$(grep -nE '^#\s*sentinel resolve-hostnames yes' '$conf' | cut -d: -f1); a=\$(grep -nE '^#\s*sentinel announce-hostnames yes' '$conf' | cut -d: -f1)
    m=\$(grep -nE '^sentinel monitor' '$conf' | cut -d: -f1); [ -n \"\$r\" ] && [ -n \"\$a\" ] && [ \"\$r\" -lt \"\$m\" ] && [ \"\$a\" -lt \"\$m\" ]"
check "says Sentinel rewrites the file, so it must be writable" grep -Eiq '^#.*rewrites.*file' "$conf"
check "says how a replica is made (replicaof + masterauth)" \
    bash -c "grep -Eq '^#\s*replicaof <primary-ip> 6379' '$conf' && grep -Eq '^#\s*masterauth' '$conf'"
master_name=$(sed -n 's/^sentinel monitor \([^ ]*\) .*/\1/p' "$conf")
[ -n "$master_name" ] || die "no 'sentinel monitor' line in $conf"

# ---- compose.sentinel.yaml, parsed -------------------------------------------------------------------------
# Compose's interpolation as in compose_check.py; writes the sentinels' start-up script and the bot's environment
# (interpolated with test secrets) for the steps below.
"$python" - "$compose" "$master_name" "$work" <<'PY' || die "compose.sentinel.yaml checks failed"
import os, re, sys
import yaml

path, master_name, out = sys.argv[1], sys.argv[2], sys.argv[3]
deploy_dir = os.path.dirname(os.path.abspath(path))
failures = 0


def check(what, ok, detail=""):
    global failures
    if ok:
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}{': ' + detail if detail else ''}", file=sys.stderr)


VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class Missing(Exception):
    pass


def interpolate(value, env):
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        have, val = name in env, env.get(name, "")
        if op in (":-", "-"):
            return val if (have and (val or op == "-")) else arg
        if op in (":?", "?"):
            if not have or (op == ":?" and not val):
                raise Missing(f"{name}: {arg}")
            return val
        return val

    return VAR.sub(one, value)


def env_of(service):
    e = service.get("environment") or {}
    if isinstance(e, list):
        e = dict(item.split("=", 1) if "=" in item else (item, None) for item in e)
    return e


def flag(cmd, name):  # the value after --name in an argument list, or None
    return next((cmd[i + 1] for i in range(len(cmd) - 1) if cmd[i] == name), None)


raw = open(path).read()
doc = yaml.safe_load(raw)  # PyYAML resolves the <<: *sentinel merges as compose does
check("compose.sentinel.yaml parses as YAML with a services mapping",
      isinstance(doc, dict) and isinstance(doc.get("services"), dict))
services = doc["services"]
for name in ("redis-primary", "redis-replica", "bot"):
    check(f"has service {name}", name in services, str(list(services)))
bot = services["bot"]
bot_env = env_of(bot)

test_env = {"BOT_TOKEN": "123456:test-placeholder", "WEBHOOK_SECRET": "test-secret", "REDIS_PASSWORD": "0123abcd"}
resolved = interpolate(doc, test_env)
rs = resolved["services"]
for secret in ("BOT_TOKEN", "WEBHOOK_SECRET"):
    v = str(bot_env.get(secret, ""))
    check(f"bot {secret} comes from ${{{secret}:?...}}", v.startswith("${" + secret + ":?"), v)
check("bot REDIS_URL uses ${REDIS_PASSWORD:?...}", "${REDIS_PASSWORD:?" in str(bot_env.get("REDIS_URL", "")))
for secret in test_env:
    env = {k: v for k, v in test_env.items() if k != secret}
    for label, e in (("unset", env), ("empty", dict(env, **{secret: ""}))):
        try:
            interpolate(doc, e)
            check(f"{secret} {label} stops compose", False, "interpolation succeeded")
        except Missing as m:
            check(f"{secret} {label} stops compose ({m})", str(m).startswith(secret + ":"))

# The bot's sentinels: three host:port entries, each a service of this file that runs redis-sentinel.
benv = rs["bot"]["environment"]
sentinels = [s.strip() for s in str(benv.get("REDIS_SENTINELS", "")).split(",") if s.strip()]
check("bot REDIS_SENTINELS lists three sentinels", len(sentinels) == 3, str(sentinels))
check(f"bot REDIS_MASTER_NAME is the monitor name in sentinel.conf ({master_name})",
      benv.get("REDIS_MASTER_NAME") == master_name, str(benv.get("REDIS_MASTER_NAME")))
scripts, volumes_used = [], []
top_volumes = doc.get("volumes") or {}
for s in sentinels:
    host, _, port = s.rpartition(":")
    svc = rs.get(host)
    check(f"sentinel {s} is a service of the file", svc is not None, str(list(rs)))
    if svc is None:
        continue
    cmd = [str(c) for c in svc.get("command") or []]
    script = cmd[-1] if cmd else ""
    check(f"{host} runs redis-sentinel", "redis-sentinel" in script, repr(cmd))
    check(f"{host} listens on {port}", port == "26379", port)
    mounts = [str(m) for m in svc.get("volumes", [])]
    data = [m for m in mounts if not m.startswith((".", "/")) and m.split(":")[1] == "/data"]
    check(f"{host} has its own named volume at /data (Sentinel rewrites its config there)",
          len(data) == 1 and data[0].split(":")[0] in top_volumes, str(mounts))
    volumes_used += [d.split(":")[0] for d in data]
    sample = [m for m in mounts if m.startswith("./sentinel.conf:")]
    check(f"{host} mounts deploy/sentinel.conf read-only", len(sample) == 1 and sample[0].endswith(":ro"), str(mounts))
    if sample:
        check(f"{host}'s script copies the mounted sample", sample[0].split(":")[1] in script)
    check(f"{host} is not published on the host", not svc.get("ports"))
    check(f"{host} has a health check", bool((svc.get("healthcheck") or {}).get("test")))
    scripts.append(script)
check("the three sentinels use three different volumes", len(set(volumes_used)) == 3, str(volumes_used))
check("the three sentinels run the same script", len(set(scripts)) == 1)

# The Redis servers: deploy/redis.conf, AOF, a password, masterauth (the old primary becomes a replica after a
# failover and must log in to the new one), names announced for announce-hostnames, the replica of the primary.
for name in ("redis-primary", "redis-replica"):
    svc = rs[name]
    cmd = [str(c) for c in svc.get("command") or []]
    check(f"{name} runs redis-server on the mounted redis.conf",
          cmd[:2] == ["redis-server", "/usr/local/etc/redis/redis.conf"]
          and any(str(m).startswith("./redis.conf:/usr/local/etc/redis/redis.conf") for m in svc.get("volumes", [])), repr(cmd[:2]))
    check(f"{name}: --appendonly yes", flag(cmd, "--appendonly") == "yes")
    check(f"{name}: --maxmemory-policy noeviction", flag(cmd, "--maxmemory-policy") == "noeviction")
    check(f"{name}: --requirepass and --masterauth from REDIS_PASSWORD",
          flag(cmd, "--requirepass") == flag(cmd, "--masterauth") == test_env["REDIS_PASSWORD"])
    check(f"{name}: --replica-announce-ip {name}", flag(cmd, "--replica-announce-ip") == name)
    mounts = [str(m) for m in svc.get("volumes", [])]
    check(f"{name} keeps its data in a named volume", any(m.split(":")[0] in top_volumes and m.split(":")[1] == "/data" for m in mounts), str(mounts))
    check(f"{name} is not published on the host", not svc.get("ports"))
    check(f"{name} health check does not put the password on a command line",
          "0123abcd" not in str((svc.get("healthcheck") or {}).get("test")))
rcmd = [str(c) for c in rs["redis-replica"]["command"]]
check("redis-replica: --replicaof redis-primary 6379",
      any(rcmd[i:i + 3] == ["--replicaof", "redis-primary", "6379"] for i in range(len(rcmd))), repr(rcmd))
check("redis-primary is not a replica", "--replicaof" not in [str(c) for c in rs["redis-primary"]["command"]])

# The bot, as in compose.yaml.
build = bot.get("build", {})
context = os.path.normpath(os.path.join(deploy_dir, build.get("context", ".")))
dockerfile = os.path.join(context, build.get("dockerfile", "Dockerfile"))
check("bot is built from deploy/Dockerfile", os.path.samefile(dockerfile, os.path.join(deploy_dir, "Dockerfile")), dockerfile)
dep = bot.get("depends_on", {})
check("bot waits for the sentinels to be healthy",
      all((dep.get(s.rpartition(":")[0]) or {}).get("condition") == "service_healthy" for s in sentinels), str(dep))
ports = [str(p) for p in bot.get("ports", [])]
check("bot port published on loopback only", all(p.startswith("127.0.0.1:") for p in ports), str(ports))
check("bot restarts", bot.get("restart") in ("unless-stopped", "always", "on-failure"))
check("REDIS_REPLICA_ACKS is 0 unless set", str(benv.get("REDIS_REPLICA_ACKS", "0")) == "0", str(benv.get("REDIS_REPLICA_ACKS")))
check("no real-looking bot token in compose.sentinel.yaml", not re.search(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b", raw))

with open(os.path.join(out, "compose-sentinel-script"), "w") as f:
    f.write(scripts[0] if scripts else "")
with open(os.path.join(out, "compose-bot-env"), "w") as f:
    f.write("".join(f"{k}={v}\n" for k, v in benv.items() if v is not None))
with open(os.path.join(out, "compose-sentinels"), "w") as f:
    f.write(",".join(sentinels) + "\n")
sys.exit(1 if failures else 0)
PY
password=0123abcd  # the REDIS_PASSWORD the python part interpolated with

# The sentinels' start-up script as a container would run it, on the sample, with /data a temp dir and
# redis-sentinel a stub that records what it was started with.
mkdir -p "$work/compose-data" "$work/stub"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/stub/args"\n' "$work" >"$work/stub/redis-sentinel"
chmod +x "$work/stub/redis-sentinel"
script=$(<"$work/compose-sentinel-script")
script=${script//\/data\/sentinel.conf/$work/compose-data/sentinel.conf}
script=${script//\/usr\/local\/etc\/redis\/sentinel.conf/$conf}
if env -i PATH="$work/stub:$PATH" REDIS_PASSWORD="$password" sh -ec "$script"; then
    pass "compose's sentinel start-up script runs"
else
    die "compose's sentinel start-up script failed"
fi
made="$work/compose-data/sentinel.conf"
check "it starts redis-sentinel on the copy in /data" grep -qx "$made" "$work/stub/args"
check "the copy monitors redis-primary" grep -Eq "^sentinel monitor $master_name redis-primary 6379 2$" "$made"
check "the copy resolves and announces host names, above the monitor line" bash -c "
    r=\$(grep -n '^sentinel resolve-hostnames yes' '$made' | cut -d: -f1); a=\$(grep -n '^sentinel announce-hostnames yes' '$made' | cut -d: -f1)
    m=\$(grep -n '^sentinel monitor' '$made' | cut -d: -f1); [ -n \"\$r\" ] && [ -n \"\$a\" ] && [ \"\$r\" -lt \"\$m\" ] && [ \"\$a\" -lt \"\$m\" ]"
check "the copy has auth-pass from REDIS_PASSWORD" grep -qx "sentinel auth-pass $master_name $password" "$made"
check "the copy listens on the compose network" grep -qx 'bind \* -::\*' "$made"
check "the copy keeps its dir in /data" grep -qx 'dir /data' "$made"
check "no placeholder left in the copy" bash -c "! grep -Eq '^[^#]*<[a-z-]+>' '$made'"
# A second start must keep the rewritten copy (it knows the current primary), not copy the sample again.
echo "# learnt" >>"$made"
env -i PATH="$work/stub:$PATH" REDIS_PASSWORD="$password" sh -ec "$script" >/dev/null
check "a second start keeps the sentinel's own copy" grep -qx "# learnt" "$made"

# ---- check-config ------------------------------------------------------------------------------------------
# Offline: the sentinels need not be up. The bot's environment from compose.sentinel.yaml, then the brief's cases.
mapfile -t bot_env < <(grep -E '^[A-Z][A-Z0-9_]*=' "$work/compose-bot-env")
compose_sentinels=$(<"$work/compose-sentinels")
if env -i PATH="$PATH" "${bot_env[@]}" TEMPLATES_DIR="$root/templates" "$bot_binary" check-config >"$work/check.log" 2>&1 &&
    grep -q "; redis: sentinels $compose_sentinels (master $master_name)" "$work/check.log"; then
    pass "check-config accepts compose.sentinel.yaml's bot environment: $(grep -o 'redis: .*' "$work/check.log")"
else
    cat "$work/check.log" >&2
    fail "check-config with compose.sentinel.yaml's bot environment"
fi
if grep -q "$password" "$work/check.log"; then fail "check-config printed the Redis password"; fi

# check_config_fails WHAT NEEDLE SETTINGS...: check-config must exit non-zero and name NEEDLE.
check_config_fails() {
    local what=$1 needle=$2
    shift 2
    if env -i PATH="$PATH" TEMPLATES_DIR="$root/templates" "$@" "$bot_binary" check-config >"$work/check.log" 2>&1; then
        fail "check-config accepted $what: $(tail -1 "$work/check.log")"
    elif grep -q "$needle" "$work/check.log"; then
        pass "check-config refuses $what: $(tail -1 "$work/check.log")"
    else
        cat "$work/check.log" >&2
        fail "check-config refused $what without naming $needle"
    fi
}
check_config_fails "REDIS_SENTINELS without REDIS_MASTER_NAME" REDIS_MASTER_NAME \
    REDIS_SENTINELS=127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381
check_config_fails "REDIS_SENTINELS=host:notaport" REDIS_SENTINELS \
    REDIS_SENTINELS=host:notaport REDIS_MASTER_NAME="$master_name"

# ---- Real processes on loopback ----------------------------------------------------------------------------
rcli() { local p=$1; shift; REDISCLI_AUTH="$password" redis-cli -p "$p" "$@" 2>/dev/null; }  # a Redis server
scli() { local p=$1; shift; redis-cli -p "$p" "$@" 2>/dev/null; }                          # a sentinel
# answers CLI PORT PID: the process on PORT is ours (when the port was taken, another server would answer PING
# before ours exits with "in use"; INFO names the pid that answers).
# grep without -q here and below: exiting at the first match could kill tr with SIGPIPE (pipefail).
answers() { "$1" "$2" info server | tr -d '\r' | grep -x "process_id:$3" >/dev/null; }

# start NAME CLI PORT COMMAND...: starts COMMAND (output in $work/NAME.log) and waits until it answers on PORT;
# sets started_pid. Returns 1 if it exited (port taken); dies if it rejected its configuration.
start() {
    local name=$1 cli=$2 p=$3
    shift 3
    "$@" >"$work/$name.log" 2>&1 &
    local pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            grep -qiE 'bad directive|FATAL CONFIG' "$work/$name.log" && { cat "$work/$name.log" >&2; die "$name rejected its configuration"; }
            return 1
        fi
        if answers "$cli" "$p" "$pid"; then started_pids+=("$pid"); started_pid=$pid; return 0; fi
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
}

# The primary and the replica: deploy/redis.conf with the password compose gives them, loopback and a temp dir.
# Each runs on a copy: after a failover the sentinels send CONFIG REWRITE to the servers they reconfigure (so a
# restart keeps the new role), which would rewrite deploy/redis.conf itself.
start_node() {  # start_node NAME EXTRA-ARGS...: sets node_port and node_pid
    local name=$1
    shift
    mkdir -p "$work/$name"
    cp "$deploy/redis.conf" "$work/$name/redis.conf"
    local p
    for _ in $(seq 1 20); do
        p=$(random_port)
        if start "$name" rcli "$p" redis-server "$work/$name/redis.conf" --port "$p" --bind 127.0.0.1 --dir "$work/$name" \
            --daemonize no --requirepass "$password" --masterauth "$password" "$@"; then
            node_port=$p node_pid=$started_pid
            return 0
        fi
    done
    cat "$work/$name.log" >&2 || true
    die "$name did not start with deploy/redis.conf"
}
start_node primary
primary_port=$node_port primary_pid=$node_pid
start_node replica --replicaof 127.0.0.1 "$primary_port"
replica_port=$node_port
link_up() { rcli "$replica_port" info replication | tr -d '\r' | grep -x 'master_link_status:up' >/dev/null; }
if wait_for 10 link_up; then
    pass "primary (port $primary_port) and replica (port $replica_port) from deploy/redis.conf, replicating with masterauth"
else
    die "the replica did not connect to the primary"
fi

# The sentinels: a copy each, rewritten for loopback. down-after is 1 s instead of 5 s and failover-timeout 10 s
# instead of 60 s so the failover below happens within the test's time (a sentinel that lost an election waits
# twice failover-timeout before trying again); everything else is the sample's.
loopback_conf() {  # loopback_conf SOURCE DEST PORT: the monitor line's host may be <primary-ip> or redis-primary
    local dir
    dir=$(dirname "$2")
    sed -e "s/^port 26379\$/port $3/" \
        -e 's/^bind .*/bind 127.0.0.1/' \
        -e "s|^dir .*|dir $dir|" \
        -e "s/^\(sentinel monitor [^ ]*\) \(<primary-ip>\|redis-primary\) 6379 /\1 127.0.0.1 $primary_port /" \
        -e "s/^# *\(sentinel auth-pass [^ ]*\) .*/\1 $password/" \
        -e 's/^\(sentinel down-after-milliseconds [^ ]*\) 5000$/\1 1000/' \
        -e 's/^\(sentinel failover-timeout [^ ]*\) 60000$/\1 10000/' \
        "$1" >"$2"
    # Each rewrite must have hit, or the test would be running something other than the sample.
    if ! { grep -qx "port $3" "$2" && grep -qx "sentinel monitor $master_name 127.0.0.1 $primary_port 2" "$2" &&
        grep -qx "sentinel auth-pass $master_name $password" "$2" &&
        grep -qx "sentinel down-after-milliseconds $master_name 1000" "$2" &&
        grep -qx "sentinel failover-timeout $master_name 10000" "$2"; }; then
        die "could not rewrite $1 for loopback (did the sample's lines change?)"
    fi
}
sentinel_ports=()
sentinel_confs=()
for n in 1 2 3; do
    # Sentinels 1 and 2 from deploy/sentinel.conf itself, 3 from the copy compose's script made from it.
    source_conf=$conf
    [ "$n" = 3 ] && source_conf=$made
    mkdir -p "$work/sentinel-$n"
    ok=""
    for _ in $(seq 1 20); do
        p=$(random_port)
        # A fresh copy per try: a sentinel that exited may have rewritten it.
        loopback_conf "$source_conf" "$work/sentinel-$n/sentinel.conf" "$p"
        # shellcheck disable=SC2046  # sentinel_args prints nothing or one word
        if start "sentinel-$n" scli "$p" "${sentinel_cmd[@]}" "$work/sentinel-$n/sentinel.conf" $(sentinel_args); then
            ok=1
            break
        fi
    done
    [ -n "$ok" ] || { cat "$work/sentinel-$n.log" >&2 || true; die "sentinel-$n did not start"; }
    sentinel_ports+=("$p")
    sentinel_confs+=("$work/sentinel-$n/sentinel.conf")
done
pass "three sentinels on ports ${sentinel_ports[*]} (sentinel-3 from compose's copy), $("${sentinel_cmd[0]}" --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')"

master_addr() { scli "$1" sentinel get-master-addr-by-name "$master_name" | tr -d '\r' | paste -sd: -; }
master_field() { scli "$1" sentinel master "$master_name" | tr -d '\r' | sed -n "/^$2\$/{n;p}"; }
field_is() { [ "$(master_field "$1" "$2")" = "$3" ]; }  # field_is PORT FIELD VALUE
for i in 0 1 2; do
    p=${sentinel_ports[$i]}
    n=$((i + 1))
    got=$(master_addr "$p")
    [ "$got" = "127.0.0.1:$primary_port" ] && pass "sentinel-$n names the primary: $got" ||
        fail "sentinel-$n names '$got', expected 127.0.0.1:$primary_port"
    # The replica is only found through the primary's INFO, which needs auth-pass; the other sentinels through
    # the hello messages they publish on the primary every 2 s.
    if wait_for 10 field_is "$p" num-slaves 1; then
        pass "sentinel-$n found the replica (auth-pass works)"
    else
        fail "sentinel-$n did not find the replica (num-slaves $(master_field "$p" num-slaves))"
    fi
    if wait_for 15 field_is "$p" num-other-sentinels 2; then
        pass "sentinel-$n found the other two sentinels"
    else
        fail "sentinel-$n knows $(master_field "$p" num-other-sentinels) other sentinels, expected 2"
    fi
    check "sentinel-$n wrote its id into its config file (it must be writable)" grep -Eq '^sentinel myid [0-9a-f]{40}$' "${sentinel_confs[$i]}"
done
quorum=$(scli "${sentinel_ports[0]}" sentinel ckquorum "$master_name" | tr -d '\r')
[[ "$quorum" == OK* ]] && pass "SENTINEL CKQUORUM: $quorum" || fail "SENTINEL CKQUORUM: $quorum"

# A failover: the primary killed outright; the sentinels must agree (quorum 2, a majority elects the leader) and
# all name the replica, which must then be a primary, and each must have written that into its file.
kill -KILL "$primary_pid"
wait "$primary_pid" 2>/dev/null || true
agreed() { local p; for p in "${sentinel_ports[@]}"; do [ "$(master_addr "$p")" = "127.0.0.1:$replica_port" ] || return 1; done; }
start_time=$SECONDS
if wait_for 25 agreed; then
    pass "after the primary was killed all three sentinels name the replica ($((SECONDS - start_time)) s)"
else
    for p in "${sentinel_ports[@]}"; do echo "  sentinel on $p names $(master_addr "$p")" >&2; done
    tail -20 "$work/sentinel-1.log" >&2 || true
    fail "the sentinels did not fail over to the replica"
fi
role=$(rcli "$replica_port" role | head -1 | tr -d '\r')
[ "$role" = master ] && pass "the replica is now a primary (ROLE $role)" || fail "the replica's ROLE is '$role' after the failover"
for i in 0 1 2; do
    check "sentinel-$((i + 1)) rewrote its file to the new primary" wait_for 5 \
        grep -qx "sentinel monitor $master_name 127.0.0.1 $replica_port 2" "${sentinel_confs[$i]}"
done

# check-config with these sentinels (it does not connect: the same answer whether they run or not).
loopback_sentinels=$(printf '127.0.0.1:%s,' "${sentinel_ports[@]}")
loopback_sentinels=${loopback_sentinels%,}
if env -i PATH="$PATH" TEMPLATES_DIR="$root/templates" REDIS_SENTINELS="$loopback_sentinels" REDIS_MASTER_NAME="$master_name" \
    "$bot_binary" check-config >"$work/check.log" 2>&1 &&
    grep -q "; redis: sentinels $loopback_sentinels (master $master_name)" "$work/check.log"; then
    pass "check-config with the three loopback sentinels: $(grep -o 'redis: .*' "$work/check.log")"
else
    cat "$work/check.log" >&2
    fail "check-config with REDIS_SENTINELS=$loopback_sentinels REDIS_MASTER_NAME=$master_name"
fi

check "deploy/redis.conf, sentinel.conf and compose.sentinel.yaml are unchanged" \
    test "$(cat "$deploy/redis.conf" "$conf" "$compose" | md5sum)" = "$samples_sum"
finish
