#!/usr/bin/env bash
# deploy/set-webhook.sh against the tests' fake Bot API (fake-telegram-api) with the real recovery-bot: the env file's
# WEBHOOK_URL and WEBHOOK_SECRET reach setWebhook under the file's token, extra flags pass through, webhook-info
# is shown, the file is parsed (quotes, comments) but never executed, and a file without WEBHOOK_URL is refused
# before Telegram is called.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

script="$deploy/set-webhook.sh"
[ -x "$script" ] || die "$script is missing or not executable"
need_binary

start_fake_api

cat >"$work/env" <<ENV
# a comment, then settings as an operator writes them
BOT_TOKEN=123456:test-token-placeholder
WEBHOOK_SECRET="test_secret-1"
  WEBHOOK_URL=https://bot.example.com/telegram

TELEGRAM_API_ROOT=http://127.0.0.1:$api_port
LOG_LEVEL=warn
TEMPLATES_DIR=$root/templates
NOT_EXECUTED=\$(touch $work/executed)
ENV

if RECOVERY_BOT="$bot_binary" "$script" --env-file "$work/env" --drop-pending-updates >"$work/out.log" 2>&1; then
    pass "set-webhook.sh exits 0"
else
    cat "$work/out.log" "$work/fake.log" >&2
    die "set-webhook.sh failed"
fi
call() {  # call METHOD PYTHON-EXPRESSION-ON-c: some recorded call of METHOD satisfies it
    python3 - "$work/calls.jsonl" "$1" "$2" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1])]
ok = any(eval(sys.argv[3], {}, {"c": c, "p": c["params"]}) for c in calls if c["method"] == sys.argv[2])
sys.exit(0 if ok else 1)
PY
}
check "setWebhook called under the env file's token" call setWebhook 'c["path"] == "/bot123456:test-token-placeholder/setWebhook"'
check "setWebhook url = WEBHOOK_URL" call setWebhook 'p.get("url") == "https://bot.example.com/telegram"'
check "setWebhook secret_token = WEBHOOK_SECRET (quotes removed)" call setWebhook 'p.get("secret_token") == "test_secret-1"'
check "--drop-pending-updates passed through" call setWebhook 'str(p.get("drop_pending_updates")).lower() == "true"'
check "webhook-info called (getWebhookInfo)" call getWebhookInfo 'True'
check "webhook-info output shows pending updates" grep -q 'pending_update_count: 3' "$work/out.log"
check "webhook-info output shows the last error" grep -q 'fake: connection timed out' "$work/out.log"
check "the env file is not executed" test ! -e "$work/executed"
check "the token is not printed" bash -c "! grep -q 'test-token-placeholder' '$work/out.log'"

# No WEBHOOK_URL: refused, Telegram not called.
grep -v WEBHOOK_URL "$work/env" >"$work/env-no-url"
before=$(wc -l <"$work/calls.jsonl")
if RECOVERY_BOT="$bot_binary" "$script" --env-file "$work/env-no-url" >"$work/out2.log" 2>&1; then
    fail "set-webhook.sh succeeded without WEBHOOK_URL"
else
    check "without WEBHOOK_URL it says so" grep -q 'WEBHOOK_URL' "$work/out2.log"
fi
check "without WEBHOOK_URL Telegram is not called" test "$(wc -l <"$work/calls.jsonl")" -eq "$before"

# A malformed line is refused with its line number.
printf 'BOT_TOKEN=1:x\nthis is not a setting\n' >"$work/env-bad"
if RECOVERY_BOT="$bot_binary" "$script" --env-file "$work/env-bad" >"$work/out3.log" 2>&1; then
    fail "set-webhook.sh accepted a malformed env file"
else
    check "a malformed line is named" grep -q 'env-bad:2' "$work/out3.log"
fi
finish
