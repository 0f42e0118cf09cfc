#!/usr/bin/env bash
# The README's first command: runs the bot. Installs what is missing and builds on first use (a few
# minutes once), then starts in well under a second. With no BOT_TOKEN it opens a local chat in the terminal.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${RB_BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
if [ ! -x "$build/bot/recovery-bot" ] || [ -n "$(find "$root/bot" "$root/handlers" "$root/storage" "$root/CMakeLists.txt" -newer "$build/bot/recovery-bot" -print -quit)" ]; then
  echo "run.sh: building recovery-bot (first run takes a few minutes)..." >&2
  "$root/deploy/build.sh" "$build" recovery-bot >&2
fi
exec "$build/bot/recovery-bot" "$@"
