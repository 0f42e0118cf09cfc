#!/usr/bin/env bash
# deploy/nginx.conf: `nginx -t` on the sample as shipped (only certificate and log paths pointed at a temp dir,
# with a self-signed certificate made by openssl), then a real nginx started on a free loopback port in front of
# an echo backend, and requests through it: the webhook forwarded with its secret header, /healthz forwarded,
# /metrics allowed from 127.0.0.1 and denied from 127.0.0.2, other paths 404, GET on the webhook refused,
# a body over 1 MiB refused with 413. Never touches /etc/nginx or the system's nginx.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sample="$deploy/nginx.conf"
[ -f "$sample" ] || die "$sample is missing"
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx
[ -n "$nginx_bin" ] || skip "nginx is not installed (deploy/install-deps.sh installs Debian's nginx)"
command -v openssl >/dev/null || die "openssl is needed to make the test certificate"
command -v curl >/dev/null || die "curl is needed to send requests through nginx"

# Self-signed certificate for bot.example.com.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bot.example.com" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; die "openssl req failed"; }

# substitute FILE FROM TO: a literal replacement that must match, so a changed sample cannot make the test
# quietly check something else.
substitute() {
    local file=$1 from=$2 to=$3
    grep -qF -- "$from" "$file" || die "expected '$from' in $sample (the test rewrites it); update the test with the sample"
    FROM="$from" TO="$to" python3 -c '
import os, sys
p = sys.argv[1]
s = open(p).read().replace(os.environ["FROM"], os.environ["TO"])
open(p, "w").write(s)' "$file"
}

site="$work/site.conf"
cp "$sample" "$site"
substitute "$site" "/etc/letsencrypt/live/bot.example.com/fullchain.pem" "$work/cert.pem"
substitute "$site" "/etc/letsencrypt/live/bot.example.com/privkey.pem" "$work/key.pem"
substitute "$site" "/var/log/nginx/" "$work/"

# A main configuration of our own around the sample (as Debian's nginx.conf includes sites-enabled/).
main_conf() {  # main_conf SITE_FILE
    cat <<CONF
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 64; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $1;
}
CONF
}
main_conf "$site" >"$work/nginx-t.conf"

# 1. nginx -t on the sample with its own listen lines (443, [::]:443).
if "$nginx_bin" -t -p "$work" -c "$work/nginx-t.conf" >"$work/nginx-t.log" 2>&1; then
    pass "nginx -t accepts deploy/nginx.conf ($("$nginx_bin" -v 2>&1))"
else
    cat "$work/nginx-t.log" >&2
    die "nginx -t rejected deploy/nginx.conf"
fi

# Static checks the brief asks for, on the sample itself.
check "client_max_body_size 1m" grep -Eq '^\s*client_max_body_size\s+1m;' "$sample"
check "forwards to 127.0.0.1:8080" grep -Eq '^\s*server\s+127\.0\.0\.1:8080\b' "$sample"
check "listens with TLS on 443 or 8443" grep -Eq '^\s*listen\s+(\S+:)?(443|8443)\s+ssl' "$sample"
check "proxy timeouts set" grep -Eq '^\s*proxy_read_timeout\s' "$sample"

# 2. The same sample running: listen on a loopback port, upstream pointed at the echo backend.
python3 "$(dirname "${BASH_SOURCE[0]}")/echo_backend.py" 0 >"$work/backend.out" 2>"$work/backend.log" &
started_pids+=($!)
wait_for 10 grep -q '^port=' "$work/backend.out" || die "echo backend did not start: $(cat "$work/backend.log")"
backend_port=$(sed -n 's/^port=//p' "$work/backend.out")

run_site="$work/site-run.conf"
cp "$site" "$run_site"
substitute "$run_site" "server 127.0.0.1:8080 " "server 127.0.0.1:$backend_port "
substitute "$run_site" "listen [::]:443 ssl;" "# (no IPv6 listener in the test)"

port=""
for _ in $(seq 1 20); do
    candidate=$(random_port)
    sed "s/listen 443 ssl;/listen 127.0.0.1:$candidate ssl;/" "$run_site" >"$work/site-port.conf"
    main_conf "$work/site-port.conf" >"$work/nginx-run.conf"
    : >"$work/error.log"
    "$nginx_bin" -p "$work" -c "$work/nginx-run.conf" -g "daemon off; master_process off;" 2>>"$work/nginx-run.log" &
    pid=$!
    if wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$candidate" 2>/dev/null; then
        started_pids+=("$pid")
        port=$candidate
        break
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done
[ -n "$port" ] || { cat "$work/nginx-run.log" "$work/error.log" >&2; die "nginx did not start on any port"; }
pass "nginx runs the sample on 127.0.0.1:$port, backend on $backend_port"

url="https://bot.example.com:$port"
curl_args=(-sS -o "$work/body" -w '%{http_code}' --cacert "$work/cert.pem" --resolve "bot.example.com:$port:127.0.0.1" --max-time 10)

expect() {  # expect WHAT STATUS curl-args...
    local what=$1 want=$2
    shift 2
    local got
    got=$(curl "${curl_args[@]}" "$@") || got="curl-error-$?"
    if [ "$got" = "$want" ]; then pass "$what: $got"; else fail "$what: HTTP $got, expected $want ($(head -c 300 "$work/body" 2>/dev/null))"; fi
}
body_has() {  # body_has WHAT PYTHON-EXPRESSION-ON-e
    if python3 -c "import json,sys; e=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$work/body" 2>/dev/null; then
        pass "$1"
    else
        fail "$1 (backend saw: $(head -c 500 "$work/body"))"
    fi
}

update='{"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"text":"finished 15 miles"}}'
expect "POST /telegram is forwarded" 200 -X POST -H 'Content-Type: application/json' \
    -H 'X-Telegram-Bot-Api-Secret-Token: test-secret_1' --data "$update" "$url/telegram"
body_has "the backend got POST /telegram" 'e["method"] == "POST" and e["path"] == "/telegram"'
body_has "the secret token header reaches the bot unchanged" 'e["headers"].get("x-telegram-bot-api-secret-token") == "test-secret_1"'
body_has "the whole body reaches the bot" "e[\"body_len\"] == ${#update}"
body_has "X-Forwarded-Proto is https" 'e["headers"].get("x-forwarded-proto") == "https"'
expect "GET /telegram is refused by nginx" 403 "$url/telegram"
expect "GET /healthz is forwarded" 200 "$url/healthz"
body_has "the backend got GET /healthz" 'e["path"] == "/healthz"'
expect "GET /metrics from 127.0.0.1 is forwarded" 200 "$url/metrics"
body_has "the backend got GET /metrics" 'e["path"] == "/metrics"'
expect "GET /metrics from 127.0.0.2 (not localhost) is denied" 403 --interface 127.0.0.2 "$url/metrics"
expect "other paths are 404 from nginx" 404 "$url/index.html"
if grep -q '"backend": "echo"' "$work/body"; then fail "GET /index.html reached the backend"; fi
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$work/big.json"
expect "a 2 MiB update is refused with 413" 413 -X POST -H 'X-Telegram-Bot-Api-Secret-Token: test-secret_1' \
    --data-binary "@$work/big.json" "$url/telegram"

finish
