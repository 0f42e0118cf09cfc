#!/usr/bin/env bash
# Every C++ file in the repository is formatted as the committed .clang-format says (clang-format 14, Debian 12's).
# Fix with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
root="${RB_SOURCE_DIR:?}"
command -v clang-format >/dev/null || { echo "clang-format is missing: deploy/install-deps.sh installs it" >&2; exit 1; }
cd "$root"
unformatted=()
while IFS= read -r f; do
  clang-format --style=file "$f" | cmp -s - "$f" || unformatted+=("$f")
done < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find . -path ./build -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print)
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "not formatted as .clang-format says (${#unformatted[@]} files):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "fix: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i" >&2
  exit 1
fi
echo "format: every C++ file matches .clang-format"
