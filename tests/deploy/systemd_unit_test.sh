#!/usr/bin/env bash
# deploy/recovery-bot.service. Two parts, two ctest tests:
#   keys    the required directives, read the way systemd reads them (last assignment wins, empty resets),
#           always run: a missing or weakened key fails.
#   verify  `systemd-analyze verify` (warnings count as failures: verify itself exits 0 on unknown keys) and
#           `systemd-analyze security --offline=yes` (exposure must stay "OK", at most 2.0). ExecStart points at
#           the built binary for this. Without systemd-analyze the part exits 77 and ctest shows it as Skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

unit="$deploy/recovery-bot.service"
[ -f "$unit" ] || die "$unit is missing"
part="${1:-keys}"

# value SECTION KEY: the effective value (last assignment in the section), or "<unset>".
value() {
    awk -v sec="[$1]" -v key="$2" '
        /^[[:space:]]*[#;]/ { next }
        /^[[:space:]]*\[/ { in_sec = ($0 == sec); next }
        in_sec {
            i = index($0, "=")
            if (i == 0) next
            k = substr($0, 1, i - 1); gsub(/[[:space:]]/, "", k)
            if (k == key) { v = substr($0, i + 1); sub(/^[[:space:]]+/, "", v); sub(/[[:space:]]+$/, "", v); found = 1 }
        }
        END { if (found) print v; else print "<unset>" }' "$unit"
}
all_values() {  # every assignment of KEY in SECTION, one per line
    awk -v sec="[$1]" -v key="$2" '
        /^[[:space:]]*[#;]/ { next }
        /^[[:space:]]*\[/ { in_sec = ($0 == sec); next }
        in_sec { i = index($0, "="); if (i == 0) next; k = substr($0, 1, i - 1); gsub(/[[:space:]]/, "", k)
                 if (k == key) { v = substr($0, i + 1); sub(/^[[:space:]]+/, "", v); print v } }' "$unit"
}
is() {  # is SECTION KEY EXPECTED
    local got
    got=$(value "$1" "$2")
    [ "$got" = "$3" ] || { echo "  [$1] $2=$got, expected $3" >&2; return 1; }
}
is_yes() {
    local got
    got=$(value Service "$1")
    case "$got" in yes | true | on | 1) return 0 ;; esac
    echo "  [Service] $1=$got, expected yes" >&2
    return 1
}
contains_words() {  # contains_words SECTION KEY WORD...: every WORD appears in the (space-separated) values
    local sec=$1 key=$2
    shift 2
    local joined w
    joined=" $(all_values "$sec" "$key" | tr '\n' ' ') "
    for w in "$@"; do
        [[ "$joined" == *" $w "* ]] || { echo "  [$sec] $key lacks $w (has:$joined)" >&2; return 1; }
    done
}

keys() {
    check "dedicated user: DynamicUser=yes or User=recovery-bot" bash -c \
        "[ '$(value Service DynamicUser)' = yes ] || [ '$(value Service User)' = recovery-bot ]"
    check "User is not root" bash -c "[ '$(value Service User)' != root ] && [ '$(value Service User)' != 0 ]"
    check "EnvironmentFile=/etc/recovery-bot/env" is Service EnvironmentFile /etc/recovery-bot/env
    check "Restart=on-failure" is Service Restart on-failure
    check "ExecStart runs recovery-bot" bash -c "[[ '$(value Service ExecStart)' == */recovery-bot* ]]"
    for k in NoNewPrivileges ProtectHome PrivateTmp PrivateDevices ProtectKernelTunables ProtectKernelModules \
             ProtectControlGroups RestrictNamespaces RestrictRealtime RestrictSUIDSGID LockPersonality \
             MemoryDenyWriteExecute; do
        check "$k=yes" is_yes "$k"
    done
    check "ProtectSystem=strict" is Service ProtectSystem strict
    check "CapabilityBoundingSet= (empty: no capabilities)" is Service CapabilityBoundingSet ""
    check "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" is Service RestrictAddressFamilies "AF_INET AF_INET6 AF_UNIX"
    check "SystemCallFilter includes @system-service" contains_words Service SystemCallFilter @system-service
    check "SystemCallArchitectures=native" is Service SystemCallArchitectures native
    check "After= redis-server.service" contains_words Unit After redis-server.service
    check "Wants= redis-server.service" contains_words Unit Wants redis-server.service
    check "WantedBy=multi-user.target" is Install WantedBy multi-user.target
    finish
}

verify() {
    command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed: 'systemd-analyze verify' not run (the keys part still checks the unit)"
    local exec_bin="$bot_binary"
    if [ ! -x "$exec_bin" ]; then
        echo "note: $bot_binary not built; verifying with ExecStart=/bin/true"
        exec_bin=/bin/true
    fi
    mkdir -p "$work/unit"
    grep -q '/opt/recovery-bot/recovery-bot' "$unit" || die "expected /opt/recovery-bot/recovery-bot in ExecStart (the test maps it)"
    sed "s|/opt/recovery-bot/recovery-bot|$exec_bin|g" "$unit" >"$work/unit/recovery-bot.service"
    if systemd-analyze verify --man=no "$work/unit/recovery-bot.service" >"$work/verify.log" 2>&1 && [ ! -s "$work/verify.log" ]; then
        pass "systemd-analyze verify: no errors, no warnings ($(systemd-analyze --version | head -1))"
    else
        sed 's/^/  /' "$work/verify.log" >&2
        fail "systemd-analyze verify reported problems"
    fi
    if systemd-analyze security --offline=yes "$work/unit/recovery-bot.service" >"$work/security.log" 2>&1; then
        local level
        level=$(sed -n 's/.*Overall exposure level for recovery-bot.service: \([0-9.]*\).*/\1/p' "$work/security.log")
        if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
            pass "systemd-analyze security --offline: exposure $level (at most 2.0)"
        else
            tail -40 "$work/security.log" >&2
            fail "systemd-analyze security: exposure '${level:-?}' above 2.0"
        fi
    else
        tail -20 "$work/security.log" >&2
        echo "note: systemd-analyze security --offline not supported here; exposure not measured"
    fi
    finish
}

case "$part" in
    keys) keys ;;
    verify) verify ;;
    *) die "usage: $0 keys|verify" ;;
esac
