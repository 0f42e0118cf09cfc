#!/usr/bin/env bash
# deploy/redis-tls.conf: the snippet's settings; then a throw-away CA, server and client certificate (openssl CLI)
# and a real redis-server started the documented way: a copy of deploy/redis.conf with `include redis-tls.conf`
# as its last line, the snippet's certificate paths pointed at the temp files and tls-port at a free loopback
# port. TLS must answer and plain TCP must not; tls-auth-clients yes must demand the client certificate; a
# replica with the same two files must replicate over TLS; `recovery-bot check-config` must accept
# REDIS_URL=rediss:// with REDIS_CA_FILE and refuse the bad combinations, naming the setting.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

snippet="$deploy/redis-tls.conf"
[ -f "$snippet" ] || die "$snippet is missing"
[ -f "$deploy/redis.conf" ] || die "$deploy/redis.conf is missing"
command -v redis-server >/dev/null || die "redis-server not found (deploy/install-deps.sh installs it)"
command -v redis-cli >/dev/null || die "redis-cli not found"
command -v openssl >/dev/null || die "openssl not found"
need_binary
# Redis built without TLS (not Debian's, not the redis:7 image) cannot run this; that is not a fault of the file.
# (Captured first: grep -q exits at the first match, and redis-cli, still writing, dies of SIGPIPE, which
# pipefail would count as no match.)
cli_help=$(redis-cli --help 2>&1 || true)
[[ "$cli_help" == *--tls* ]] || skip "redis-cli has no --tls: this Redis is built without TLS"

# ---- The snippet's text ------------------------------------------------------------------------------------
check "port 0 (no plain TCP)" grep -Eq '^port\s+0\s*$' "$snippet"
check "tls-port 6379" grep -Eq '^tls-port\s+6379\s*$' "$snippet"
for key in tls-cert-file tls-key-file tls-ca-cert-file; do
    check "$key set to an absolute path" grep -Eq "^$key\s+/\S+\s*\$" "$snippet"
done
check "tls-auth-clients optional" grep -Eq '^tls-auth-clients\s+optional\s*$' "$snippet"
check "says yes requires client certificates (REDIS_CERT_FILE/REDIS_KEY_FILE)" \
    bash -c "grep -Eq '^#.*\byes\b.*client' '$snippet' && grep -Eq '^#.*REDIS_CERT_FILE.*REDIS_KEY_FILE' '$snippet'"
check "tls-replication yes" grep -Eq '^tls-replication\s+yes\s*$' "$snippet"
check 'tls-protocols "TLSv1.2 TLSv1.3"' grep -Eq '^tls-protocols\s+"TLSv1\.2 TLSv1\.3"\s*$' "$snippet"
check "documents how it is read after redis.conf (include)" grep -Eq '^#\s+include /etc/redis/redis-tls\.conf' "$snippet"
check "nothing but TLS and the port (the rest stays redis.conf's)" \
    bash -c "! grep -Ev '^\s*(#|\$)|^(port|tls-[a-z-]+)\s' '$snippet'"

# ---- A throw-away PKI (EC P-256: fast to make) -------------------------------------------------------------
pki="$work/pki"
mkdir -p "$pki"
openssl_quiet() { openssl "$@" >"$work/openssl.log" 2>&1 || { cat "$work/openssl.log" >&2; die "openssl $1 failed"; }; }
openssl_quiet req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 2 \
    -subj "/CN=recovery-bot deploy test CA" -keyout "$pki/ca.key" -out "$pki/ca.pem"
# cert NAME CN EXTENSIONS: a certificate signed by the CA.
cert() {
    openssl_quiet req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -subj "/CN=$2" \
        -keyout "$pki/$1.key" -out "$pki/$1.csr"
    printf '%b' "$3" >"$pki/$1.ext"
    openssl_quiet x509 -req -in "$pki/$1.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
        -extfile "$pki/$1.ext" -out "$pki/$1.pem"
}
# The server's certificate names the host the bot would connect to, and also allows client use: a replica
# presents it to its primary (tls-replication; the snippet says so).
cert server localhost 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n'
cert client recovery-bot 'extendedKeyUsage=clientAuth\n'
pass "test CA, server certificate (DNS:localhost, IP:127.0.0.1) and client certificate made with $(openssl version | cut -d' ' -f1-2)"

# ---- Redis with the snippet --------------------------------------------------------------------------------
tcli() { local p=$1; shift; redis-cli --tls --cacert "$pki/ca.pem" -h 127.0.0.1 -p "$p" "$@" 2>&1; }
# answers PORT PID: the process on PORT is ours (another server on a taken port would answer otherwise).
# grep without -q here and below: exiting at the first match could kill tr with SIGPIPE (pipefail).
answers() { tcli "$1" info server | tr -d '\r' | grep -x "process_id:$2" >/dev/null; }

# start_node NAME EXTRA-ARGS...: a copy of redis.conf ending in `include` of a copy of the snippet (paths and
# tls-port rewritten), bind and dir overridden on the command line (no --port: the snippet's port 0 must win);
# sets node_port.
start_node() {
    local name=$1
    shift
    local dir="$work/$name"
    mkdir -p "$dir"
    local p pid i
    for _ in $(seq 1 20); do
        p=$(random_port)
        sed -e "s|^tls-port 6379\$|tls-port $p|" \
            -e "s|^tls-cert-file .*|tls-cert-file $pki/server.pem|" \
            -e "s|^tls-key-file .*|tls-key-file $pki/server.key|" \
            -e "s|^tls-ca-cert-file .*|tls-ca-cert-file $pki/ca.pem|" \
            "$snippet" >"$dir/redis-tls.conf"
        if ! { grep -qx "tls-port $p" "$dir/redis-tls.conf" && grep -qx "tls-cert-file $pki/server.pem" "$dir/redis-tls.conf" &&
            grep -qx "tls-key-file $pki/server.key" "$dir/redis-tls.conf" && grep -qx "tls-ca-cert-file $pki/ca.pem" "$dir/redis-tls.conf"; }; then
            die "could not rewrite redis-tls.conf for the test (did its lines change?)"
        fi
        { cat "$deploy/redis.conf"; echo "include $dir/redis-tls.conf"; } >"$dir/redis.conf"
        redis-server "$dir/redis.conf" --bind 127.0.0.1 --dir "$dir" --daemonize no "$@" >"$dir/log" 2>&1 &
        pid=$!
        for ((i = 0; i < 100; i++)); do
            if ! kill -0 "$pid" 2>/dev/null; then
                wait "$pid" 2>/dev/null || true
                grep -qiE 'bad directive|FATAL CONFIG' "$dir/log" && { cat "$dir/log" >&2; die "redis-server rejected redis.conf + redis-tls.conf"; }
                break
            fi
            if answers "$p" "$pid"; then
                started_pids+=("$pid")
                node_port=$p
                return 0
            fi
            sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    cat "$dir/log" >&2 || true
    die "redis-server did not start with redis.conf + redis-tls.conf"
}
start_node primary
port=$node_port
pass "redis-server $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') starts with redis.conf + include redis-tls.conf (tls-port $port)"

got=$(tcli "$port" ping)
[ "$got" = PONG ] && pass "redis-cli --tls --cacert ca.pem ping: $got" || fail "TLS ping answered '$got'"
got=$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" ping 2>&1 || true)
[ "$got" != PONG ] && pass "plain redis-cli on the TLS port gets no PONG: ${got:0:60}" || fail "plain TCP answered PONG on the TLS port"
config_is() {  # config_is NAME VALUE
    local got
    got=$(tcli "$port" config get "$1" | sed -n 2p)
    [ "$got" = "$2" ] || { echo "  CONFIG GET $1 = '$got', expected '$2'" >&2; return 1; }
}
check "CONFIG GET port = 0 (the snippet overrides redis.conf's 6379)" config_is port 0
check "CONFIG GET tls-port = $port" config_is tls-port "$port"
check "CONFIG GET tls-auth-clients = optional" config_is tls-auth-clients optional
check "CONFIG GET tls-replication = yes" config_is tls-replication yes
check 'CONFIG GET tls-protocols = "TLSv1.2 TLSv1.3"' config_is tls-protocols "TLSv1.2 TLSv1.3"
check "CONFIG GET appendonly = yes (redis.conf still applies)" config_is appendonly yes
check "CONFIG GET maxmemory-policy = noeviction (redis.conf still applies)" config_is maxmemory-policy noeviction
# The handshake the bot makes: the chain verified against the CA and the certificate naming the host.
for version in tls1_2 tls1_3; do
    check "openssl s_client -$version, verifying the chain and the name 127.0.0.1" bash -c \
        "openssl s_client -connect 127.0.0.1:$port -$version -CAfile '$pki/ca.pem' -verify_return_error \
         -verify_ip 127.0.0.1 </dev/null >'$work/s_client.log' 2>&1"
done

# tls-auth-clients yes (the snippet's comment): without a client certificate no answer, with one PONG.
tcli "$port" config set tls-auth-clients yes >/dev/null
got=$(timeout 5 redis-cli --tls --cacert "$pki/ca.pem" -h 127.0.0.1 -p "$port" ping 2>&1 || true)
[ "$got" != PONG ] && pass "tls-auth-clients yes: refused without a client certificate: ${got:0:60}" ||
    fail "tls-auth-clients yes answered PONG without a client certificate"
got=$(tcli "$port" --cert "$pki/client.pem" --key "$pki/client.key" ping)
[ "$got" = PONG ] && pass "tls-auth-clients yes: PONG with the client certificate" ||
    fail "tls-auth-clients yes with the client certificate answered '$got'"
tcli "$port" --cert "$pki/client.pem" --key "$pki/client.key" config set tls-auth-clients optional >/dev/null

# tls-replication yes: a replica from the same two files replicates over TLS. The primary starts a diskless sync
# only after repl-diskless-sync-delay (5 s); set to 0 here so the test does not wait for it.
tcli "$port" config set repl-diskless-sync-delay 0 >/dev/null
tcli "$port" set rb:tls-test replicated >/dev/null
start_node replica --replicaof 127.0.0.1 "$port"
replica_port=$node_port
link_up() { tcli "$replica_port" info replication | tr -d '\r' | grep -x 'master_link_status:up' >/dev/null; }
if wait_for 15 link_up && [ "$(tcli "$replica_port" get rb:tls-test)" = replicated ]; then
    pass "a replica (tls-port $replica_port) replicates over TLS"
else
    tail -5 "$work/replica/log" >&2 || true
    fail "the replica did not replicate over TLS"
fi

# ---- check-config ------------------------------------------------------------------------------------------
# bot_check SETTINGS...: check-config with these settings only (templates from this tree); output in check.log.
bot_check() { env -i PATH="$PATH" TEMPLATES_DIR="$root/templates" "$@" "$bot_binary" check-config >"$work/check.log" 2>&1; }
if bot_check REDIS_URL="rediss://127.0.0.1:$port/0" REDIS_CA_FILE="$pki/ca.pem" &&
    grep -q "; redis: rediss://127.0.0.1:$port/0" "$work/check.log"; then
    pass "check-config accepts REDIS_URL=rediss://127.0.0.1:$port/0 REDIS_CA_FILE=ca.pem: $(grep -o 'redis: .*' "$work/check.log")"
else
    cat "$work/check.log" >&2
    fail "check-config rejects REDIS_URL=rediss:// with REDIS_CA_FILE"
fi
if bot_check REDIS_URL="rediss://localhost:$port/0" REDIS_CA_FILE="$pki/ca.pem" \
    REDIS_CERT_FILE="$pki/client.pem" REDIS_KEY_FILE="$pki/client.key"; then
    pass "check-config accepts the client certificate and key as well"
else
    cat "$work/check.log" >&2
    fail "check-config rejects REDIS_CERT_FILE + REDIS_KEY_FILE"
fi
# check_config_fails WHAT NEEDLE SETTINGS...: check-config must exit non-zero and name NEEDLE.
check_config_fails() {
    local what=$1 needle=$2
    shift 2
    if bot_check "$@"; then
        fail "check-config accepted $what: $(tail -1 "$work/check.log")"
    elif grep -qF "$needle" "$work/check.log"; then
        pass "check-config refuses $what: $(tail -1 "$work/check.log")"
    else
        cat "$work/check.log" >&2
        fail "check-config refused $what without naming $needle"
    fi
}
check_config_fails "a REDIS_CA_FILE that does not exist" "REDIS_CA_FILE /nonexistent" \
    REDIS_URL="rediss://127.0.0.1:$port/0" REDIS_CA_FILE=/nonexistent
check_config_fails "REDIS_CERT_FILE without REDIS_KEY_FILE" REDIS_KEY_FILE \
    REDIS_URL="rediss://127.0.0.1:$port/0" REDIS_CA_FILE="$pki/ca.pem" REDIS_CERT_FILE="$pki/client.pem"
check_config_fails "REDIS_CA_FILE with a plain redis:// URL" REDIS_CA_FILE \
    REDIS_URL="redis://127.0.0.1:$port/0" REDIS_CA_FILE="$pki/ca.pem"

finish
