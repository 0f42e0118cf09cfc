#!/usr/bin/env bash
# deploy/env.example: every secret present with a placeholder (never a real-looking token), every line a plain
# KEY=value or a comment (systemd EnvironmentFile and compose .env both read it), every setting that
# `recovery-bot --help` lists present (set or commented with its default), and `recovery-bot check-config`
# accepts the file's values (templates taken from the source tree).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/help_keys.sh"

example="$deploy/env.example"
[ -f "$example" ] || die "$example is missing"

# Real bot tokens look like 123456789:AAE-35-characters; nothing in the file may.
if grep -Eq '[0-9]{8,10}:[A-Za-z0-9_-]{30,}' "$example"; then
    fail "a real-looking bot token in env.example: $(grep -En '[0-9]{8,10}:[A-Za-z0-9_-]{30,}' "$example" | cut -c1-20)..."
else
    pass "no real-looking bot token"
fi
for secret in BOT_TOKEN WEBHOOK_SECRET REDIS_PASSWORD; do
    line=$(grep -E "^$secret=" "$example" || true)
    if [ -z "$line" ]; then fail "secret $secret is not listed (as $secret=placeholder)"; continue; fi
    if [[ "${line#*=}" == *replace* ]]; then pass "secret $secret has a placeholder: $line"; else fail "secret $secret does not look like a placeholder: $line"; fi
done
redis_url=$(sed -n 's/^REDIS_URL=//p' "$example")
if [ -z "$redis_url" ] || [[ "$redis_url" != *@* ]] || [[ "$redis_url" == *replace* ]]; then
    pass "REDIS_URL carries no real password: ${redis_url:-<empty>}"
else
    fail "REDIS_URL has a password that is not a placeholder: $redis_url"
fi
bad=$(grep -Evn '^[[:space:]]*$|^#|^[A-Z][A-Z0-9_]*=[^ "'"'"']*$' "$example" || true)
if [ -z "$bad" ]; then pass "every line is a comment or KEY=value without quotes or spaces"; else fail "lines systemd/compose would misread: $bad"; fi

need_binary
missing=()
count=0
while read -r key; do
    count=$((count + 1))
    grep -Eq "^#? ?$key=" "$example" || missing+=("$key")
done < <(help_keys)
[ "$count" -gt 10 ] || die "recovery-bot --help listed only $count settings; cannot compare"
if [ ${#missing[@]} -eq 0 ]; then pass "all $count settings from --help are in env.example"; else fail "settings missing from env.example: ${missing[*]}"; fi
unknown=()
while read -r key; do
    [ "$key" = REDIS_PASSWORD ] && continue  # compose-only: becomes REDIS_URL's password
    help_keys | grep -qx "$key" || unknown+=("$key")
done < <(sed -n 's/^#\{0,1\} \{0,1\}\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$example")
if [ ${#unknown[@]} -eq 0 ]; then pass "no setting the bot does not know"; else fail "env.example names settings the bot does not have: ${unknown[*]}"; fi

# check-config with exactly the file's values (KEY=value lines, not sourced), templates from this tree.
mapfile -t assignments < <(grep -E '^[A-Z][A-Z0-9_]*=' "$example")
if env -i PATH="$PATH" "${assignments[@]}" TEMPLATES_DIR="$root/templates" "$bot_binary" check-config >"$work/check.log" 2>&1; then
    pass "recovery-bot check-config accepts env.example: $(tail -1 "$work/check.log")"
else
    cat "$work/check.log" >&2
    fail "recovery-bot check-config rejects env.example"
fi
if grep -q 'replace-me' "$work/check.log"; then fail "check-config printed a secret from the file"; fi

finish
