# shellcheck shell=bash
# Shared helpers for tests/deploy/*_test.sh (sourced, not run). Every check prints what it looked at; the first
# failure exits 1 naming the file and what is wrong. A skipped part exits 77 (ctest shows it as Skipped).
# Processes a test starts are recorded by PID and only those are stopped on exit.

root="${RB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
deploy="$root/deploy"  # used by the tests that source this file
export deploy
bot_binary="${RB_BOT_BINARY:-$root/build/bot/recovery-bot}"
fake_api_binary="${RB_FAKE_API_BINARY:-$root/build/tests/fake_telegram/fake-telegram-api}"
test_name="$(basename "$0" .sh)"

failures=0
check() {  # check "what" command...: runs the command, records pass or fail
    local what=$1
    shift
    if "$@"; then
        echo "ok   $what"
    else
        echo "FAIL $what" >&2
        failures=$((failures + 1))
    fi
}
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok   $*"; }
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$test_name: $failures check(s) failed" >&2
        exit 1
    fi
    echo "$test_name: all checks passed"
}
skip() { echo "SKIPPED $test_name: $*" >&2; echo "SKIPPED $test_name: $*"; exit 77; }
die() { echo "FAIL $test_name: $*" >&2; exit 1; }

# A temp dir removed on exit, and the PIDs started here, stopped on exit (TERM, then KILL after 5 s).
work="$(mktemp -d "/tmp/rb-deploy-${test_name}-XXXXXX")"
started_pids=()
cleanup() {
    local pid
    for pid in "${started_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

need_binary() {
    [ -x "$bot_binary" ] || die "recovery-bot binary not found at $bot_binary (build the recovery-bot target first)"
}

# start_fake_api: the tests' one fake Bot API (tests/fake_telegram) as a process on 127.0.0.1, recording every call
# as a JSON line {"method","path","params"} in $work/calls.jsonl; getWebhookInfo reports 3 pending updates and a last
# error. Sets api_port.
start_fake_api() {
    [ -x "$fake_api_binary" ] || die "fake-telegram-api not found at $fake_api_binary (build it first)"
    "$fake_api_binary" --record "$work/calls.jsonl" --pending-updates 3 --last-error "fake: connection timed out" \
        >"$work/fake.out" 2>"$work/fake.log" &
    started_pids+=($!)
    wait_for 10 grep -q '^port=' "$work/fake.out" || die "fake Bot API did not start: $(cat "$work/fake.log")"
    api_port=$(sed -n 's/^port=//p' "$work/fake.out")
}

random_port() { echo $((20000 + RANDOM % 40000)); }

# wait_for SECONDS command...: polls every 0.1 s until the command succeeds.
wait_for() {
    local seconds=$1
    shift
    local i
    for ((i = 0; i < seconds * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
