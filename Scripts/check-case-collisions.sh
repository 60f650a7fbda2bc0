#!/usr/bin/env bash
# Fails when two tracked paths differ only in letter case (or a file and a folder do).
#
# macOS and Windows volumes are case-insensitive by default: a clone there puts both paths in
# one place, and SwiftPM then refuses the package (overlapping sources). `.ci/run` calls this
# before building. Portable: git, tr, sort and uniq with POSIX flags only (macOS and Linux).
set -euo pipefail
# Usage: Scripts/check-case-collisions.sh [REPO]   (default: this repository)
cd "${1:-$(dirname "$0")/..}"

# Every tracked file and every folder above one, lower-cased.
paths=$(git ls-files | awk -F/ '{ p = ""; for (i = 1; i <= NF; i++) { p = (i == 1 ? $1 : p "/" $i); print p } }' | sort -u)
collisions=$(printf '%s\n' "$paths" | tr '[:upper:]' '[:lower:]' | sort | uniq -d)
if [[ -n "$collisions" ]]; then
    echo "check-case-collisions: these paths differ only in case (a case-insensitive volume merges them):" >&2
    while IFS= read -r lower; do
        printf '%s\n' "$paths" | awk -v l="$lower" 'tolower($0) == l { print "  " $0 }' >&2
    done <<< "$collisions"
    exit 1
fi
echo "check-case-collisions: $(printf '%s\n' "$paths" | wc -l | tr -d ' ') tracked paths, none differ only in case"
