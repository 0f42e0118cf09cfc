#!/usr/bin/env bash
# docs/operations.md: lists every setting `recovery-bot --help` prints with the binary's default, and its
# generated section is exactly what deploy/config-reference.sh makes from --help now (else: run
# deploy/config-reference.sh --write). Also checks the topics the operator needs are there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/help_keys.sh"

doc="$root/docs/operations.md"
[ -f "$doc" ] || die "$doc is missing"
for topic in "## Configuration reference" "## Several instances" "### Sentinel" "### Cluster" "### Backups" \
             "## Upgrades" "/healthz" "/metrics" "Logs" "## Registering the webhook" "## TLS"; do
    check "operations.md covers '$topic'" grep -qF -- "$topic" "$doc"
done

need_binary
count=0
missing=()
while read -r key; do
    count=$((count + 1))
    grep -qF -- "| \`$key\` |" "$doc" || missing+=("$key")
done < <(help_keys)
[ "$count" -gt 10 ] || die "recovery-bot --help listed only $count settings; cannot compare"
if [ ${#missing[@]} -eq 0 ]; then pass "all $count settings from --help are in the reference table"; else fail "settings missing from docs/operations.md: ${missing[*]} (run deploy/config-reference.sh --write)"; fi

# Defaults: the doc's row for each key shows the binary's default.
while IFS='|' read -r key def; do
    [ "$key" = TEMPLATES_DIR ] && continue
    if [ "$def" = "(empty)" ]; then want="| \`$key\` | *(empty)* |"; else want="| \`$key\` | \`$def\` |"; fi
    grep -qF -- "$want" "$doc" || fail "default of $key in docs/operations.md is not '$def'"
done < <(env -i PATH="$PATH" "$bot_binary" --help | sed -n 's/^  \([A-Z][A-Z0-9_]*\) \{1,\}default: \(.*\)$/\1|\2/p')
pass "defaults compared"

if "$deploy/config-reference.sh" --check "$bot_binary" 2>"$work/diff.log"; then
    pass "the generated section matches deploy/config-reference.sh's output"
else
    cat "$work/diff.log" >&2
    fail "docs/operations.md's configuration reference is out of date (run deploy/config-reference.sh --write)"
fi
finish
