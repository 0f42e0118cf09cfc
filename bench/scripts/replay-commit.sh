#!/usr/bin/env bash
# Redis's cost of one real commit script call, alone: replays a commit captured from the bot (MONITOR) through
# redis-benchmark against a private redis-server, each call with a new update id and run id (so each replaces the
# plan the previous one wrote, as a runner's second run does), and prints EVALSHA's microseconds per call from
# Redis's own INFO commandstats. The script is the one in this checkout (storage/scripts.cpp), not the captured sha.
#
# Usage: bench/scripts/replay-commit.sh capture.txt [calls]
#   capture.txt: MONITOR output holding a commit (MONITOR_OUT=capture.txt bench/webhook/run.sh build 3)
#   ITEMS=n       keep only the plan's first n reminders (0: the reply only)
#   SHORT_TEXTS=1 cut every reminder text and the reply to a few bytes
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
capture=${1:?usage: replay-commit.sh capture.txt [calls]}
calls=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The commit's script source and its arguments, NUL-separated (MONITOR escapes bytes as \xNN, \n, \", \\).
CAPTURE=$capture SCRIPTS=$root/storage/scripts.cpp WORK=$work python3 - <<'PY'
import os, re
src = open(os.environ["SCRIPTS"]).read()
body = lambda name: re.search(r'constexpr const char\* ' + name + r' = R"lua\((.*?)\)lua";', src, re.S).group(1)
open(os.environ["WORK"] + "/commit.lua", "w").write(body("prelude") + body("commit_body"))
line = next((l for l in open(os.environ["CAPTURE"], encoding="latin-1") if '"EVALSHA"' in l and '"plan" "replace"' in l), None)
if line is None: raise SystemExit("replay-commit: no commit with a plan in the capture")
def unescape(s):
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == "\\":
            n = s[i + 1]
            if n == "x": out.append(int(s[i + 2:i + 4], 16)); i += 4; continue
            out += {"n": b"\n", "r": b"\r", "t": b"\t", '"': b'"', "\\": b"\\"}[n]; i += 2; continue
        out += s[i].encode("latin-1"); i += 1
    return bytes(out)
a = [unescape(x) for x in re.findall(r'"((?:[^"\\]|\\.)*)"', line)]
keys = int(a[2])
plan = a.index(b"plan", 3 + keys)
a[3] = b"rb:seen:__rand_int__"          # a new update each call
a[plan + 2] = b"m__rand_int__"          # a new run: the plan replaces the last one
count = int(a[plan + 6]); first = plan + 7; items = [a[first + 4 * i:first + 4 * i + 4] for i in range(count)]
rest = a[first + 4 * count:]
if os.environ.get("ITEMS"): items = items[:int(os.environ["ITEMS"])]
if os.environ.get("SHORT_TEXTS") == "1":
    items = [it[:3] + [b"t:" + it[0]] for it in items]
    rest = [rest[0], rest[1], rest[2], b'{"m":"send","text":"short"}'] + rest[4:] if rest and rest[0] == b"send" else rest
a = a[:plan + 6] + [str(len(items)).encode()] + [x for it in items for x in it] + rest
open(os.environ["WORK"] + "/args.bin", "wb").write(b"\0".join(a))
print("replay-commit: %d reminders, %d bytes of arguments" % (len(items), sum(map(len, a))))
PY

WORK=$work CALLS=$calls exec "$root/tests/redis.sh" bash -c '
    set -euo pipefail
    port=${RB_TEST_REDIS_URL##*:}; port=${port%%/*}
    cli=(redis-cli -h 127.0.0.1 -p "$port")
    mapfile -d "" args < "$WORK/args.bin"
    args[1]=$("${cli[@]}" -x SCRIPT LOAD < "$WORK/commit.lua")
    first=$("${cli[@]}" "${args[@]}" | head -1)
    [ "$first" = 1 ] || { echo "replay-commit: the commit did not apply: $("${cli[@]}" "${args[@]}")" >&2; exit 1; }
    "${cli[@]}" CONFIG RESETSTAT >/dev/null
    redis-benchmark -h 127.0.0.1 -p "$port" -n "$CALLS" -c 1 -r 1000000000 -q --csv "${args[@]}" >/dev/null 2>&1
    "${cli[@]}" INFO commandstats | tr ":,=" "   " |
      awk -v n="$CALLS" "\$1 == \"cmdstat_evalsha\" {printf \"replay-commit: %d calls, %.1f us per call (Redis'"'"'s own accounting)\\n\", \$3, \$7}"
' replay
