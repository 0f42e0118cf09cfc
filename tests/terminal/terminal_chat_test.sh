#!/usr/bin/env bash
# The terminal chat tested the way a person uses it: the real recovery-bot (no BOT_TOKEN, no REDIS_URL, so it
# starts its own redis-server) runs in a tmux pane; we type with send-keys and read the screen with
# capture-pane: the reply to "finished 15 miles", the first reminder ping with numbered buttons, pressing
# "1", then /quit, after which the bot and its private redis-server must be gone.
# usage: terminal_chat_test.sh /path/to/recovery-bot      exit 0 pass, 1 fail, 77 skip (no tmux/redis-server)
set -u

bot=${1:?usage: terminal_chat_test.sh /path/to/recovery-bot}
for tool in tmux redis-server; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (deploy/install-deps.sh installs it)"; exit 77; }
done
[ -x "$bot" ] || { echo "FAIL: no recovery-bot binary at $bot"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rb-terminal-test.XXXXXX")
sock="rb-terminal-test-$$"  # our own tmux server: nothing else shares it
bot_pid=""
redis_pids=""

tm() { tmux -L "$sock" -f /dev/null "$@"; }
# Running, not merely unreaped: the bot is tmux's child and may stay a zombie for a moment after it exits.
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [ "${state#Z}" = "$state" ]; }
pane() { tm capture-pane -p -J -S -500 -t chat 2>/dev/null; }

# Only what this script started: the tmux server on its own socket, the bot by PID, the bot's redis-server
# children by the PIDs recorded while the bot ran (left over only when the bot failed to stop them).
cleanup() {
    if [ -n "$bot_pid" ] && alive "$bot_pid"; then
        kill -TERM "$bot_pid" 2>/dev/null
        for _ in $(seq 50); do alive "$bot_pid" || break; sleep 0.1; done
        alive "$bot_pid" && kill -KILL "$bot_pid" 2>/dev/null
    fi
    for pid in $redis_pids; do alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
    tm kill-server 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $1"
    echo "----- screen (tmux capture-pane) -----"
    pane | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'  # without the empty rows at the bottom
    echo "----- recovery-bot stderr (last 30 lines) -----"
    tail -n 30 "$work/bot.log" 2>/dev/null
    exit 1
}

# wait_for SECONDS REGEX WHAT: polls the screen until REGEX (grep -E) matches.
wait_for() {
    local limit=$1 pattern=$2 what=$3
    for _ in $(seq $((limit * 10))); do
        pane | grep -Eq -- "$pattern" && return 0
        sleep 0.1
    done
    fail "$what: no match for /$pattern/ within ${limit}s"
}

type_line() {
    tm send-keys -t chat -l -- "$1"
    tm send-keys -t chat Enter
}

# start_bot: a fresh tmux session "chat" running the bot. The pane runs bash only to note its PID and route
# stderr to a file, then execs the bot in its place. Waits for the banner and notes the redis-server child.
start_bot() {
    rm -f "$work/bot.pid" "$work/bot.log"
    local inner='echo $$ > "$1"; log=$2; shift 2; exec "$@" 2>"$log"'
    tm new-session -d -s chat -x 200 -y 50 -c "$work" \
        "bash -c $(printf %q "$inner") _ $(printf %q "$work/bot.pid") $(printf %q "$work/bot.log") \
         env -u BOT_TOKEN -u REDIS_URL -u MODE TIME_SCALE=600 LOG_LEVEL=info $(printf %q "$bot")" \; \
        set-option -t chat remain-on-exit on || fail "tmux could not start a session"
    for _ in $(seq 50); do [ -s "$work/bot.pid" ] && break; sleep 0.1; done
    bot_pid=$(cat "$work/bot.pid" 2>/dev/null)
    [ -n "$bot_pid" ] || fail "the pane did not start the bot"
    wait_for 30 'local chat' "banner"
    redis_pids=$(ps -o pid=,comm= --ppid "$bot_pid" | awk '$2 ~ /redis-server/ {print $1}')
    [ -n "$redis_pids" ] || fail "no private redis-server child of the bot (pid $bot_pid) although REDIS_URL is unset"
    redis_dir=$(sed -n 's/.*event=private_redis_started url=unix:\/\/\(.*\)\/redis\.sock.*/\1/p' "$work/bot.log" | head -n 1)
}

# expect_gone HOW: the bot exits with status 0 within 20 s, and its redis-server and directory go with it.
expect_gone() {
    local how=$1 running status
    for _ in $(seq 200); do alive "$bot_pid" || break; sleep 0.1; done
    alive "$bot_pid" && fail "recovery-bot (pid $bot_pid) still running 20s after $how"
    for _ in $(seq 50); do [ "$(tm display-message -p -t chat '#{pane_dead}')" = 1 ] && break; sleep 0.1; done
    status=$(tm display-message -p -t chat '#{pane_dead_status}' 2>/dev/null)
    [ "${status:-0}" = 0 ] || fail "recovery-bot exited with status $status after $how"
    for _ in $(seq 100); do
        running=""
        for pid in $redis_pids; do alive "$pid" && running="$running $pid"; done
        [ -z "$running" ] && break
        sleep 0.1
    done
    [ -z "$running" ] || fail "private redis-server still running after $how (pid$running)"
    if [ -n "$redis_dir" ] && [ -e "$redis_dir" ]; then fail "private redis directory $redis_dir left after $how"; fi
}

# 1. The banner: the newcomer learns what this is and what to type.
start_bot
wait_for 5 "finished 15 miles" "banner suggests 'finished 15 miles'"
wait_for 5 '/quit' "banner mentions /quit"

# 2. A run report gets a plan for 15 miles, with a meal idea, stamped with the time.
type_line "finished 15 miles"
wait_for 20 '[0-9]{2}:[0-9]{2}:[0-9]{2} bot › .*15[- ]?mi' "reply mentioning the 15-mile run"
wait_for 5 '[Mm]eal|[Pp]asta|[Ss]moothie|[Oo]melette|[Cc]hocolate milk|[Yy]og' "reply with a meal idea"

# 3. The first reminder ping arrives with its buttons as numbered choices.
wait_for 60 '\[1\] .*Done.*\[2\] .*\[3\] ' "first reminder ping with numbered buttons [1] [2] [3]"

# 4. Pressing "1" (Done) reaches the bot as a button press: the edit shows as one short line, not the whole
#    ping again.
type_line "1"
wait_for 20 'bot › ✅ Done\. Nice work\.' "one short line after pressing 1 (Done)"

# 5. /quit ends the process, which stops its private redis-server.
type_line "/quit"
expect_gone "/quit"
echo "ok: banner, reply for 15 miles with a meal idea, reminder ping with buttons, press 1 -> edited," \
     "/quit -> bot (pid $bot_pid) and its redis-server (pid $redis_pids) gone"

# 6. Ctrl-C in the chat also ends it cleanly (the bot turns SIGINT into a shutdown, not a hang on input).
tm kill-session -t chat
start_bot
tm send-keys -t chat C-c
expect_gone "Ctrl-C"
echo "ok: Ctrl-C -> bot (pid $bot_pid) and its redis-server (pid $redis_pids) gone"
echo "PASS"
