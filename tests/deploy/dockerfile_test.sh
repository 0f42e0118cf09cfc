#!/usr/bin/env bash
# deploy/Dockerfile, without docker (this machine has a docker client but no engine, so nothing is built):
#   static   stages, the shared build scripts (the very ones ./test.sh and ./run.sh call; nothing of them copied
#            into the Dockerfile), runtime packages, non-root user, EXPOSE, HEALTHCHECK, templates, COPY sources.
#   binary   the built recovery-bot's shared libraries all come from the run stage's packages or the slim base;
#            the HEALTHCHECK command, run as docker would (sh -c), passes against the real bot in webhook mode,
#            fails when nothing listens and when /healthz says 503 (Redis gone).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

df="$deploy/Dockerfile"
[ -f "$df" ] || die "$df is missing"
part="${1:-static}"

# The Dockerfile with continuation lines joined and comments dropped, one instruction per line.
instructions() {
    sed -e '/^[[:space:]]*#/d' "$df" | awk '{ if (sub(/\\[[:space:]]*$/, "")) { buf = buf $0 " " } else { print buf $0; buf = "" } }' |
        sed -e 's/[[:space:]]\+/ /g' -e '/^ *$/d'
}
stage() {  # stage N: the instructions of the Nth FROM (1-based)
    instructions | awk -v n="$1" '/^FROM /{ s++ } s == n'
}

static() {
    local froms build run
    froms=$(instructions | grep -c '^FROM ' || true)
    check "two stages (got $froms)" test "$froms" -eq 2
    check "build stage FROM debian:12 AS build" grep -Eq '^FROM debian:12 AS build( |$)' <<<"$(stage 1 | head -1)"
    check "run stage FROM debian:12-slim" grep -Eq '^FROM debian:12-slim( |$)' <<<"$(stage 2 | head -1)"
    build=$(stage 1)
    run=$(stage 2)
    check "build stage copies deploy/install-deps.sh from the repository" grep -Eq '^COPY deploy/install-deps.sh ' <<<"$build"
    check "build stage runs deploy/install-deps.sh" grep -Eq '^RUN (.*&& )?deploy/install-deps\.sh( |$)' <<<"$build"
    check "build stage runs BUILD_TYPE=Release deploy/build.sh /build recovery-bot" \
        grep -Eq '^RUN .*BUILD_TYPE=Release deploy/build\.sh /build recovery-bot( |$)' <<<"$build"
    check "./test.sh calls the same deploy/install-deps.sh" grep -q 'deploy/install-deps.sh' "$root/test.sh"
    check "./test.sh calls the same deploy/build.sh" grep -q 'deploy/build.sh' "$root/test.sh"
    lacks() { ! grep -Eq -- "$1" <<<"$2"; }
    check "no cmake command in the Dockerfile (deploy/build.sh builds)" lacks '(^| )cmake ' "$(instructions)"
    check "build stage installs no packages itself (deploy/install-deps.sh does)" lacks 'apt-get|dpkg ' "$build"
    local p copied=()
    for p in $(sed -n '/^packages=(/,/^)/p' "$deploy/install-deps.sh" | sed '1d;$d'); do
        case "$p" in *-dev | build-essential | googletest | ninja-build | clang | wrk) ;; *) continue ;; esac
        grep -Eq -- "(^| )$p( |$)" <<<"$(instructions)" && copied+=("$p")
    done
    check "install-deps.sh's build packages are not copied into the Dockerfile (${copied[*]:-none found})" test ${#copied[@]} -eq 0
    for p in libssl3 libhiredis0.14 tzdata ca-certificates; do
        check "run stage installs $p" grep -Eq "^RUN .*apt-get install .*(^| )$p( |$)" <<<"$run"
    done
    check "run stage installs no -dev package" lacks '-dev( |$)' "$run"
    local user
    user=$(grep '^USER ' <<<"$run" | tail -1 | cut -d' ' -f2)
    non_root() { [ -n "$1" ] && [ "${1%%:*}" != root ] && [ "${1%%:*}" != 0 ]; }
    check "runs as a non-root user (last USER: ${user:-none})" non_root "$user"
    check "the user is created (useradd)" grep -Eq '^RUN .*useradd .*recovery-bot' <<<"$run"
    check "EXPOSE 8443" grep -Eq '^EXPOSE 8443' <<<"$run"
    check "HEALTHCHECK against /healthz" grep -Eq '^HEALTHCHECK .*CMD .*/healthz' <<<"$run"
    check "binary copied from the build stage" grep -Eq '^COPY --from=build /build/bot/recovery-bot ' <<<"$run"
    check "templates copied to /app/templates" grep -Eq '^COPY --from=build /src/templates /app/templates' <<<"$run"
    check "ENV TEMPLATES_DIR=/app/templates" grep -Eq '^ENV .*TEMPLATES_DIR=/app/templates' <<<"$run"
    check "ENTRYPOINT is recovery-bot" grep -Eq '^ENTRYPOINT \["/usr/local/bin/recovery-bot"\]' <<<"$run"
    local src
    while read -r src; do
        check "COPY source '$src' exists in the repository" test -e "$root/$src"
    done < <(grep '^COPY ' <<<"$build" | grep -v -- '--from' | awk '{ for (i = 2; i < NF; i++) print $i }')
    finish
}

healthcheck_cmd() {
    instructions | sed -n 's/^HEALTHCHECK .* CMD //p'
}

binary() {
    need_binary
    command -v ldd >/dev/null || die "ldd not found"
    # Shared libraries -> Debian packages; each must be installed by the run stage or be in debian:12-slim.
    local run_pkgs base_pkgs lib path pkg bad=()
    run_pkgs=" $(stage 2 | sed -n 's/.*apt-get install -y --no-install-recommends \([^&]*\).*/\1/p') "
    base_pkgs=" libc6 libgcc-s1 libstdc++6 zlib1g "
    while read -r lib path; do
        [ -n "$path" ] || continue
        pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) ||
            pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1) || true
        [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)
        if [[ "$run_pkgs$base_pkgs" == *" $pkg "* ]]; then
            echo "     $lib -> $pkg"
        else
            bad+=("$lib (${pkg:-no package})")
        fi
    done < <(ldd "$bot_binary" | awk '/=>/ { print $1, $3 }')
    if [ ${#bad[@]} -eq 0 ]; then pass "every shared library of recovery-bot comes from the run stage's packages or the base"; else fail "libraries the run stage lacks: ${bad[*]}"; fi

    # The HEALTHCHECK command against the real bot in webhook mode, with a redis-server of our own.
    local cmd
    cmd=$(healthcheck_cmd)
    [ -n "$cmd" ] || die "no HEALTHCHECK CMD found"
    local rport rpid=""
    for _ in $(seq 1 20); do
        rport=$(random_port)
        redis-server --port "$rport" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
            --logfile "$work/redis.log" --daemonize no &
        rpid=$!
        if wait_for 5 bash -c "kill -0 $rpid 2>/dev/null && redis-cli -p $rport ping 2>/dev/null | grep -q PONG"; then
            started_pids+=("$rpid"); break
        fi
        kill -KILL "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; rpid=""
    done
    [ -n "$rpid" ] || die "could not start a redis-server for the bot"
    start_fake_api
    local bport bpid=""
    for _ in $(seq 1 10); do
        bport=$(random_port)
        env -i PATH="$PATH" BOT_TOKEN=123456:test-placeholder WEBHOOK_SECRET=test-secret \
            WEBHOOK_URL=https://bot.example.com/telegram LISTEN="127.0.0.1:$bport" \
            REDIS_URL="redis://127.0.0.1:$rport/0" TELEGRAM_API_ROOT="http://127.0.0.1:$api_port" \
            TEMPLATES_DIR="$root/templates" THREADS=1 "$bot_binary" serve >"$work/bot.log" 2>&1 &
        bpid=$!
        if wait_for 15 bash -c "kill -0 $bpid 2>/dev/null && grep -q 'event=listening' '$work/bot.log'"; then
            started_pids+=("$bpid"); break
        fi
        kill -KILL "$bpid" 2>/dev/null || true; wait "$bpid" 2>/dev/null || true; bpid=""
    done
    [ -n "$bpid" ] || { cat "$work/bot.log" >&2; die "recovery-bot did not start in webhook mode"; }
    probe() { env -i PATH="$PATH" "$@" sh -c "$cmd"; }
    wait_for 10 probe MODE=auto WEBHOOK_URL=https://bot.example.com/telegram LISTEN="0.0.0.0:$bport" &&
        pass "HEALTHCHECK passes against the running bot (webhook mode, Redis up)" ||
        { cat "$work/bot.log" >&2; fail "HEALTHCHECK fails against a healthy bot"; }
    probe MODE=webhook LISTEN="0.0.0.0:$(random_port)" 2>/dev/null &&
        fail "HEALTHCHECK passes with nothing listening" || pass "HEALTHCHECK fails when nothing listens"
    probe MODE=auto WEBHOOK_URL= LISTEN="0.0.0.0:1" && pass "HEALTHCHECK passes in long-polling mode (no HTTP server)" ||
        fail "HEALTHCHECK fails in long-polling mode"
    kill -TERM "$rpid"; wait "$rpid" 2>/dev/null || true
    probe_fails() { ! probe MODE=webhook LISTEN="0.0.0.0:$bport" 2>/dev/null; }
    if wait_for 15 probe_fails; then
        pass "HEALTHCHECK fails once Redis is gone (/healthz 503)"
    else
        fail "HEALTHCHECK still passes with Redis stopped"
    fi
    finish
}

case "$part" in
    static) static ;;
    binary) binary ;;
    *) die "usage: $0 static|binary" ;;
esac
