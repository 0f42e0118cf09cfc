#!/usr/bin/env bash
# bench/rss/idle.sh: the real binary's resident memory when idle, in webhook mode against a local fake Bot API
# and its own private redis-server, once with the system's time zones loaded (ZONEINFO_DIR default) and once
# without any (ZONEINFO_DIR pointing at an empty folder), so the zone database's share is printed on its own.
# usage: bench/rss/idle.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
for bin in "$build/bot/recovery-bot" "$build/tests/fake_telegram/fake-telegram-api"; do
  [ -x "$bin" ] || { echo "missing $bin: run deploy/build.sh first" >&2; exit 1; }
done

source "$root/bench/lib.sh"  # $work, $pids, cleanup on exit, wait_for_line
mkdir "$work/no-zones"

"$build/tests/fake_telegram/fake-telegram-api" --count-only >"$work/fake.out" 2>&1 &
pids+=($!)
wait_for_line "$work/fake.out" "port="
fake_port="$(sed -n 's/^port=//p' "$work/fake.out" | head -1)"

# rss_kb LABEL [ENV...]: starts the bot, waits until it listens plus 2 s, prints VmRSS, stops it.
rss_kb() {
  local label="$1" log="$work/$1.log"
  shift
  env "$@" BOT_TOKEN=123456:bench WEBHOOK_SECRET=bench-secret WEBHOOK_URL=https://bench.invalid/telegram \
    LISTEN=127.0.0.1:0 THREADS=2 TELEGRAM_API_ROOT="http://127.0.0.1:$fake_port" LOG_LEVEL=info \
    "$build/bot/recovery-bot" 2>"$log" &
  local pid=$!
  wait_for_line "$log" "event=listening"
  sleep 2
  local kb
  kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$kb"
}

with_zones="$(rss_kb zones)"
without_zones="$(rss_kb no-zones ZONEINFO_DIR="$work/no-zones")"
printf 'idle rss_kb with the system time zones=%s without=%s (zones: %s kB)\n' "$with_zones" "$without_zones" \
  "$((with_zones - without_zones))"
status=met
[ "$with_zones" -lt 20480 ] || status=missed
echo "target idle RSS < 20 MB: $status"
