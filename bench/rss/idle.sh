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

command -v wrk >/dev/null || { echo "wrk is missing: deploy/install-deps.sh installs it" >&2; exit 1; }
redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save '' --appendonly no \
  --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for_line "$work/redis.log" "ready to accept"
redis_url="unix://$work/redis.sock"
pending() {  # reminders waiting in the lanes (the outbox's lane 0 holds replies, not reminders)
  local n=0 lane
  for lane in 1 2; do n=$((n + $(redis-cli -s "$work/redis.sock" ZCARD "rb:due:$lane"))); done
  echo "$n"
}
empty="$(rss_kb empty REDIS_URL="$redis_url")"
empty_pending="$(pending)"
# The feeder: a bot on plain HTTP fed "finished 15 miles" reports from 10,000 chats, then stopped.
env BOT_TOKEN=123456:bench WEBHOOK_SECRET=bench-secret WEBHOOK_URL=https://bench.invalid/telegram \
  LISTEN=127.0.0.1:0 THREADS=2 REDIS_URL="$redis_url" TELEGRAM_API_ROOT="http://127.0.0.1:$fake_port" \
  RATE_LIMIT=off LOG_LEVEL=info "$build/bot/recovery-bot" 2>"$work/feeder.log" &
feeder=$!
wait_for_line "$work/feeder.log" "event=listening"
feeder_port="$(sed -n 's/.*event=listening.* port=\([0-9]*\).*/\1/p' "$work/feeder.log" | head -1)"
RB_BENCH_SECRET=bench-secret wrk -t2 -c50 -d"${FEED_SECONDS:-5}s" -s "$root/bench/webhook/updates.lua" \
  "http://127.0.0.1:$feeder_port/telegram" >"$work/wrk.txt" 2>&1
# The replies wrk's reports produced are sent before the feeder stops (up to 60 s), so the second bot starts with
# reminders pending and nothing to send: its figure is idle, not the cost of a send burst.
for _ in $(seq 1 600); do
  [ "$(redis-cli -s "$work/redis.sock" ZCARD rb:due:0)" = 0 ] && [ "$(redis-cli -s "$work/redis.sock" ZCARD rb:lease)" = 0 ] && break
  sleep 0.1
done
kill "$feeder"
wait "$feeder" 2>/dev/null || true
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
