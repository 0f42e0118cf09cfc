#!/usr/bin/env bash
# Installs exactly what recovery-bot's build, tests and benchmarks need, from Debian 12's packages.
# Safe to run twice: packages already present are skipped, and apt is only touched when one is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libssl-dev nlohmann-json3-dev libhiredis-dev libkainjow-mustache-dev
  googletest libgtest-dev
  redis-server redis-sentinel redis-tools openssl ca-certificates tzdata
  clang clang-format clang-tidy wrk procps tmux
  nginx python3-yaml
  prometheus-cpp-dev libcctz-dev libcli11-dev libjemalloc-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
