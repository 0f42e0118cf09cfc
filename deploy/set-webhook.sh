#!/usr/bin/env bash
# Registers the webhook with Telegram using the bot's env file: runs `recovery-bot set-webhook` with the settings
# from that file, then `recovery-bot webhook-info` to show what Telegram now has (URL, pending updates, last error).
#
#   deploy/set-webhook.sh [--env-file FILE] [set-webhook flags, e.g. --drop-pending-updates]
#
# FILE defaults to $RB_ENV_FILE, else /etc/recovery-bot/env (root-only: run with sudo). The binary is
# $RECOVERY_BOT, else recovery-bot on PATH, else /opt/recovery-bot/recovery-bot, else the repository's build.
# The file is read as KEY=value lines (the systemd EnvironmentFile/compose .env subset), never sourced, so
# nothing in it is executed. Run it again whenever WEBHOOK_URL, WEBHOOK_SECRET or the bot's commands change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="${RB_ENV_FILE:-/etc/recovery-bot/env}"
if [ "${1:-}" = "--env-file" ]; then
    [ $# -ge 2 ] || { echo "set-webhook.sh: --env-file needs a file" >&2; exit 2; }
    env_file=$2
    shift 2
elif [[ "${1:-}" == --env-file=* ]]; then
    env_file=${1#--env-file=}
    shift
fi
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi

bin="${RECOVERY_BOT:-}"
if [ -z "$bin" ]; then
    for candidate in "$(command -v recovery-bot || true)" /opt/recovery-bot/recovery-bot "$root/build/bot/recovery-bot"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then bin=$candidate; break; fi
    done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "set-webhook.sh: recovery-bot binary not found (set RECOVERY_BOT=/path/to/recovery-bot)" >&2; exit 1; }
[ -r "$env_file" ] || { echo "set-webhook.sh: cannot read $env_file (missing, or needs sudo)" >&2; exit 1; }

# KEY=value lines; blank lines and # comments skipped; one pair of surrounding quotes removed.
line_no=0
while IFS= read -r line || [ -n "$line" ]; do
    line_no=$((line_no + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in '' | '#'*) continue ;; esac
    line="${line#export }"
    key="${line%%=*}"
    value="${line#*=}"
    if [ "$key" = "$line" ] || ! [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        echo "set-webhook.sh: $env_file:$line_no: not a KEY=value line" >&2
        exit 2
    fi
    if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    export "$key=$value"
done <"$env_file"

[ -n "${BOT_TOKEN:-}" ] || { echo "set-webhook.sh: BOT_TOKEN is not set in $env_file" >&2; exit 1; }
[ -n "${WEBHOOK_URL:-}" ] || { echo "set-webhook.sh: WEBHOOK_URL is not set in $env_file (nothing to register)" >&2; exit 1; }
[ -n "${WEBHOOK_SECRET:-}" ] || { echo "set-webhook.sh: WEBHOOK_SECRET is not set in $env_file" >&2; exit 1; }

"$bin" set-webhook "$@"
"$bin" webhook-info
