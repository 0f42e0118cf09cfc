#!/usr/bin/env bash
# bench/webhook: wrk against a bare Beast HTTPS server (the stack's baseline) and against recovery-bot, in one
# run, same load: 50 keep-alive connections, 2 wrk threads, a distinct update_id per request, 10,000 chats.
# recovery-bot does the full path per update (de-dup, plan, reminders stored in Redis, reply sent to a local
# fake Bot API with the rate limiter off). Prints throughput, p50/p99 latency, the ratio and the bot's RSS.
# usage: bench/webhook/run.sh [BUILD_DIR] [SECONDS]
# WITH_REPLY_IN_RESPONSE=1: also runs a bot with REPLY_IN_RESPONSE=on (the reply in the webhook's answer, not sent from
# the outbox), after the default bot, and prints its ratio to bare and to the default bot of the same run. (Not
# named REPLY_IN_RESPONSE: the bots inherit this environment, and the default bot must keep the default.)
# REPLICA_ACKS=1: also runs a second bot with REDIS_REPLICA_ACKS=1 against its own primary with one replica, after
# the default bot, and prints what waiting for the replica (WAIT 1) costs against the default bot of the same run.
# PERF_OUT=file: perf profile of the bot during its run. REDIS_STATS=1: Redis's commands and EVALSHA per update.
# MONITOR_OUT=file: one second of Redis's MONITOR during the bot's run (input for bench/scripts/replay-commit.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
seconds="${2:-10}"
for bin in "$build/bot/recovery-bot" "$build/bench/webhook/bare-https-server" "$build/tests/fake_telegram/fake-telegram-api"; do
  [ -x "$bin" ] || { echo "missing $bin: run deploy/build.sh first" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing: deploy/install-deps.sh installs it" >&2; exit 1; }

source "$root/bench/lib.sh"  # $work, $pids, cleanup on exit, wait_for_line

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout "$work/key.pem" \
  -out "$work/cert.pem" >/dev/null 2>&1

redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save '' --appendonly no \
  --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for_line "$work/redis.log" "ready to accept"

"$build/tests/fake_telegram/fake-telegram-api" --count-only >"$work/fake.out" 2>&1 &
pids+=($!)
wait_for_line "$work/fake.out" "port="
fake_port="$(sed -n 's/^port=//p' "$work/fake.out" | head -1)"

"$build/bench/webhook/bare-https-server" "$work/cert.pem" "$work/key.pem" 2 >"$work/bare.out" 2>&1 &
bare_pid=$!
pids+=($bare_pid)
wait_for_line "$work/bare.out" "port="
bare_port="$(sed -n 's/^port=//p' "$work/bare.out" | head -1)"

# start_bot LOG [SETTING=VALUE...]: a webhook-mode bot on HTTPS against the fake Bot API (limiter off), REDIS_URL
# the benchmark's Redis unless given; sets bot_pid and bot_port.
start_bot() {
  local log="$1"; shift
  env -u REPLY_IN_RESPONSE -u REDIS_REPLICA_ACKS BOT_TOKEN=123456:bench WEBHOOK_SECRET=bench-secret WEBHOOK_URL=https://bench.invalid/telegram \
    LISTEN=127.0.0.1:0 TLS_CERT="$work/cert.pem" TLS_KEY="$work/key.pem" THREADS=2 \
    REDIS_URL="unix://$work/redis.sock" TELEGRAM_API_ROOT="http://127.0.0.1:$fake_port" RATE_LIMIT=off \
    LOG_LEVEL=info "$@" "$build/bot/recovery-bot" 2>"$log" &
  bot_pid=$!
  pids+=($bot_pid)
  for _ in $(seq 1 200); do grep -q "event=listening" "$log" 2>/dev/null && break; sleep 0.05; done
  bot_port="$(sed -n 's/.*event=listening.* port=\([0-9]*\).*/\1/p' "$log" | head -1)"
  [ -n "$bot_port" ] || { echo "recovery-bot did not start:" >&2; cat "$log" >&2; exit 1; }
}
start_bot "$work/bot.log"
default_pid=$bot_pid

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system, in clock ticks

run_wrk() {  # port label pid
  local out="$work/wrk-$2.txt" peak=0
  wrk -t2 -c50 -d"${seconds}s" --latency -s "$root/bench/webhook/updates.lua" "https://127.0.0.1:$1/telegram" \
    >"$out" 2>&1 &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    local r; r="$(rss_kb "$3" || echo 0)"; [ "$r" -gt "$peak" ] && peak="$r"; sleep 0.5
  done
  wait "$wrk_pid"
  local rps p50 p99 non2xx
  rps="$(awk '/Requests\/sec/{print $2}' "$out")"
  p50="$(awk '$1=="50%"{print $2}' "$out")"
  p99="$(awk '$1=="99%"{print $2}' "$out")"
  non2xx="$(awk '/Non-2xx/{print $5}' "$out")"
  printf '%-14s %12s req/s   p50 %9s   p99 %9s   peak RSS %6d KiB   non-2xx %s\n' "$2" "$rps" "$p50" "$p99" \
    "$peak" "${non2xx:-0}"
  eval "${2//-/_}_rps=$rps"
}

echo "bench/webhook: wrk -t2 -c50 -d${seconds}s, HTTPS keep-alive, ~400-byte Update, distinct update_id, 10,000 chats"
run_wrk "$bare_port" bare "$bare_pid"
if [ -n "${PERF_OUT:-}" ]; then  # PERF_OUT=file: also profile the bot during its run (perf report -i file)
  perf record -F 299 --call-graph dwarf,16384 -e cpu-clock -p "$bot_pid" -o "$PERF_OUT" -- sleep "$seconds" >/dev/null 2>&1 &
  pids+=($!)
fi
redis_pid="${pids[0]}"; fake_pid="${pids[1]}"
if [ -n "${REDIS_STATS:-}" ]; then
  redis-cli -s "$work/redis.sock" CONFIG RESETSTAT >/dev/null
fi
[ -n "${MONITOR_OUT:-}" ] && { timeout 1 redis-cli -s "$work/redis.sock" MONITOR > "$MONITOR_OUT" & }
before="$(cpu_ticks "$bot_pid") $(cpu_ticks "$redis_pid") $(cpu_ticks "$fake_pid")"
RB_BENCH_SECRET=bench-secret run_wrk "$bot_port" recovery-bot "$bot_pid"
after="$(cpu_ticks "$bot_pid") $(cpu_ticks "$redis_pid") $(cpu_ticks "$fake_pid")"
hz="$(getconf CLK_TCK)"
updates="$(awk '/requests in/{print $1}' "$work/wrk-recovery-bot.txt")"  # wrk's count of the bot's run
echo "$before $after" | awk -v hz="$hz" -v s="$seconds" -v u="$updates" '{
  printf "CPU during the bot run (cores busy): bot %.2f  redis %.2f  fake Bot API %.2f\n", ($4-$1)/hz/s, ($5-$2)/hz/s, ($6-$3)/hz/s
  printf "CPU per update (us): bot %.0f  redis %.0f  fake Bot API %.0f\n", ($4-$1)/hz/u*1e6, ($5-$2)/hz/u*1e6, ($6-$3)/hz/u*1e6}'
sent_ok() {  # sendMessage calls the bot made that the fake Bot API answered ok, from the bot's /metrics
  curl -sk "https://127.0.0.1:$1/metrics" | awk '/^(rb_)?telegram_calls_total\{method="sendMessage",outcome="ok"\}/{print $2}'
}
echo "replies sent to the fake Bot API by the end of the run: $(sent_ok "$bot_port") of $updates updates"
if [ -n "${REDIS_STATS:-}" ]; then  # REDIS_STATS=1: where Redis spent its time, per command (usec_per_call)
  redis-cli -s "$work/redis.sock" INFO commandstats | tr ':,' '  ' | awk '/^cmdstat/{print $1, $2, $3, $5, $7}' \
    | sort -t= -k3 -nr | head -12
  # Per update: Redis's own accounting (usec includes the commands a script calls). The slowlog is not used: at
  # slower-than 0 it logs every command inside a script too, which costs more than the scripts themselves.
  redis-cli -s "$work/redis.sock" INFO commandstats | tr ':,=' '   ' | awk -v u="$updates" '
    $1 == "cmdstat_evalsha" {printf "EVALSHA per update: %.2f calls, %.0f us (with the commands the scripts call)\n", $3 / u, $5 / u}'
fi
p99_ms() {  # wrk's "12.34ms" / "1.02s" / "900.00us" -> milliseconds
  awk -v v="$1" 'BEGIN{n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; print n}'
}
bot_p99="$(p99_ms "$(awk '$1=="99%"{print $2}' "$work/wrk-recovery-bot.txt")")"
awk -v a="$recovery_bot_rps" -v b="$bare_rps" -v p="$bot_p99" 'BEGIN{r=a/b;
  printf "ratio recovery-bot / bare: %.2f  (target >= 0.35: %s; p99 %.1f ms, target < 10 ms: %s)\n", r,
    (r >= 0.35 ? "met" : "missed"), p, (p < 10 ? "met" : "missed")}'
# The cheap path: the same update over and over, already seen (one pipelined read, 200, nothing written).
first='{"update_id":1,"message":{"message_id":1,"from":{"id":100001,"is_bot":false,"first_name":"Runner"},"chat":{"id":100001,"type":"private"},"date":1764400000,"text":"thanks"}}'
curl -sk -o /dev/null -H 'Content-Type: application/json' -H 'X-Telegram-Bot-Api-Secret-Token: bench-secret' \
  --data "$first" "https://127.0.0.1:$bot_port/telegram"
RB_BENCH_MODE=duplicate RB_BENCH_SECRET=bench-secret run_wrk "$bot_port" duplicate "$bot_pid"
awk -v a="$duplicate_rps" -v b="$bare_rps" 'BEGIN{r=a/b;
  printf "ratio duplicate update / bare: %.2f  (target >= 0.6: %s)\n", r, (r >= 0.6 ? "met" : "missed")}'
# The other cheap updates the issue names: new ones, each decided and committed durably with its one answer (a
# "thanks" reply, or answerCallbackQuery for a Done press on a reminder that is not pending), then sent from the
# outbox like any reply. Cheap for the plan (no reminders written), not for durability: a commit and a send each.
# The full run's replies still being sent would share the cores with these runs: let them finish first (30 s at most).
for _ in $(seq 1 60); do [ "$(sent_ok "$bot_port" | cut -d. -f1)" -ge "$updates" ] 2>/dev/null && break; sleep 0.5; done
RB_BENCH_MODE=thanks RB_BENCH_SECRET=bench-secret run_wrk "$bot_port" thanks "$bot_pid"
RB_BENCH_MODE=callback RB_BENCH_SECRET=bench-secret run_wrk "$bot_port" callback "$bot_pid"
awk -v t="$thanks_rps" -v c="$callback_rps" -v b="$bare_rps" 'BEGIN{
  printf "ratio \"thanks\" update / bare: %.2f  (target >= 0.6: %s)\n", t/b, (t/b >= 0.6 ? "met" : "missed");
  printf "ratio button press / bare: %.2f  (target >= 0.6: %s)\n", c/b, (c/b >= 0.6 ? "met" : "missed")}'
echo "bot log lines at warn or above during the run: $(grep -c 'level=\(warn\|error\)' "$work/bot.log" || true)"

if [ -n "${REPLICA_ACKS:-}" ]; then
  # A primary (unix socket for the bot, a loopback port for its replica) and one replica; redis-server picks no
  # port for us, so try random ones until one binds.
  primary_port=""
  for _ in $(seq 1 20); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    redis-server --port "$candidate" --bind 127.0.0.1 --unixsocket "$work/primary.sock" --dir "$work" \
      --dbfilename primary.rdb --save '' --appendonly no --daemonize no >"$work/primary.log" 2>&1 &
    ppid_=$!
    if wait_for_line "$work/primary.log" "ready to accept" 2>/dev/null; then pids+=($ppid_); primary_port=$candidate; break; fi
    kill "$ppid_" 2>/dev/null || true
  done
  [ -n "$primary_port" ] || { echo "no port for the primary" >&2; exit 1; }
  redis-server --port 0 --unixsocket "$work/replica.sock" --dir "$work" --dbfilename replica.rdb --save '' \
    --appendonly no --replicaof 127.0.0.1 "$primary_port" --repl-diskless-sync-delay 0 --daemonize no \
    >"$work/replica.log" 2>&1 &
  pids+=($!)
  wait_for_line "$work/replica.log" "MASTER <-> REPLICA sync: Finished"
  start_bot "$work/bot-acks.log" REDIS_URL="unix://$work/primary.sock" REDIS_REPLICA_ACKS=1
  acks_pid=$bot_pid acks_port=$bot_port
  RB_BENCH_SECRET=bench-secret run_wrk "$acks_port" replica-acks "$acks_pid"
  awk -v a="$replica_acks_rps" -v d="$recovery_bot_rps" -v b="$bare_rps" 'BEGIN{
    printf "REDIS_REPLICA_ACKS=1: %.2f of the default bot, %.3f of bare (the cost of WAIT 1 per update)\n", a/d, a/b}'
fi

if [ -n "${WITH_REPLY_IN_RESPONSE:-}" ]; then
  kill "$default_pid" 2>/dev/null || true  # one bot at a time on the two cores
  start_bot "$work/bot-rir.log" REPLY_IN_RESPONSE=on REDIS_PREFIX=rir:
  RB_BENCH_SECRET=bench-secret run_wrk "$bot_port" reply-in-response "$bot_pid"
  awk -v a="$reply_in_response_rps" -v d="$recovery_bot_rps" -v b="$bare_rps" 'BEGIN{
    printf "REPLY_IN_RESPONSE=on: %.2f of bare (target >= 0.35: %s), %.2f of the default bot\n", a/b,
      (a/b >= 0.35 ? "met" : "missed"), a/d}'
fi
