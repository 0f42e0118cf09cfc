#!/usr/bin/env bash
# bench/rss/idle.sh: the real binary's resident memory when idle, in webhook mode against a local fake Bot API
# and its own private redis-server, once with the system's time zones loaded (ZONEINFO_DIR default) and once
# without any (ZONEINFO_DIR pointing at an empty folder), so the zone database's share is printed on its own.
# Then "flat in pending": the same binary idle against one redis-server, empty and then holding the reminders a
# first bot wrote while wrk fed it runners' reports for FEED_SECONDS (default 5): pending reminders live in Redis,
# so the second figure must not grow with them.
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

# start_bot LOG [ENV...]: a webhook-mode bot on plain HTTP against the fake Bot API; returns once it listens, with
# bot_pid and bot_port set.
start_bot() {
  local log="$1"
  shift
  env "$@" BOT_TOKEN=123456:bench WEBHOOK_SECRET=bench-secret WEBHOOK_URL=https://bench.invalid/telegram \
    LISTEN=127.0.0.1:0 THREADS=2 TELEGRAM_API_ROOT="http://127.0.0.1:$fake_port" LOG_LEVEL=info \
    "$build/bot/recovery-bot" 2>"$log" &
  bot_pid=$!
  wait_for_line "$log" "event=listening"
  bot_port="$(sed -n 's/.*event=listening.* port=\([0-9]*\).*/\1/p' "$log" | head -1)"
}
stop_bot() { kill "$bot_pid"; wait "$bot_pid" 2>/dev/null || true; }

# rss_kb LABEL [ENV...]: starts the bot, waits until it listens plus 2 s, prints VmRSS, stops it.
rss_kb() {
  local label="$1"
  shift
  start_bot "$work/$label.log" "$@"
  sleep 2
  local kb
  kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$bot_pid/status")"
  stop_bot
  echo "$kb"
}

with_zones="$(rss_kb zones)"
without_zones="$(rss_kb no-zones ZONEINFO_DIR="$work/no-zones")"
printf 'idle rss_kb with the system time zones=%s without=%s (zones: %s kB)\n' "$with_zones" "$without_zones" \
  "$((with_zones - without_zones))"

command -v wrk >/dev/null || { echo "wrk is missing: deploy/install-deps.sh installs it" >&2; exit 1; }
redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save '' --appendonly no \
  --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for_line "$work/redis.log" "ready to accept"
redis_url="unix://$work/redis.sock"
zcard() { redis-cli -s "$work/redis.sock" ZCARD "$1"; }
pending() {  # reminders waiting in the lanes (the outbox's lane 0 holds replies, not reminders)
  echo "$(($(zcard rb:due:1) + $(zcard rb:due:2)))"
}
empty="$(rss_kb empty REDIS_URL="$redis_url")"
empty_pending="$(pending)"
# The feeder: a bot fed "finished 15 miles" reports from 10,000 chats, then stopped.
start_bot "$work/feeder.log" REDIS_URL="$redis_url" RATE_LIMIT=off
RB_BENCH_SECRET=bench-secret wrk -t2 -c50 -d"${FEED_SECONDS:-5}s" -s "$root/bench/webhook/updates.lua" \
  "http://127.0.0.1:$bot_port/telegram" >"$work/wrk.txt" 2>&1
# The replies wrk's reports produced are sent before the feeder stops (up to 60 s), so the second bot starts with
# reminders pending and nothing to send: its figure is idle, not the cost of a send burst.
for _ in $(seq 1 600); do
  [ "$(zcard rb:due:0)" = 0 ] && [ "$(zcard rb:lease)" = 0 ] && break
  sleep 0.1
done
stop_bot
fed_pending="$(pending)"
fed="$(rss_kb fed REDIS_URL="$redis_url")"
printf 'idle rss_kb against one redis-server: %s with %s reminders pending, %s with %s pending\n' "$empty" \
  "$empty_pending" "$fed" "$fed_pending"

status=met
[ "$with_zones" -lt 20480 ] || status=missed
echo "target idle RSS < 20 MB: $status"
flat=met
[ "$fed" -lt $((empty + 1024)) ] || flat=missed
echo "target RSS flat in pending (within 1 MB): $flat"
