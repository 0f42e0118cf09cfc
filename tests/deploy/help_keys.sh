# shellcheck shell=bash
# shellcheck disable=SC2154  # bot_binary and die come from lib.sh
# Sourced by tests/deploy: help_keys prints the settings `recovery-bot --help` lists, one per line.
help_keys() {
    local out
    out="$(env -i PATH="$PATH" "$bot_binary" --help)" || die "$bot_binary --help failed"
    printf '%s\n' "$out" | sed -n 's/^  \([A-Z][A-Z0-9_]*\) \{1,\}default: .*/\1/p'
}
