#!/usr/bin/env bash
# Fails when Swift code outside the platform folders imports the C library or `Synchronization`,
# or tests the platform (`#if os(...)`, `canImport(...)`).
#
# The platform folders are `Sources/Poisk/Platform/` and `Sources/PoiskAnalysis/Platform/`:
# every Darwin, Glibc, Musl and Android branch lives there, written against the declarations
# Swift imports on each (see README, Platforms). `Synchronization` needs macOS 15 / iOS 18, newer
# than the deployment targets. `.ci/run` calls this before building.
# Usage: Scripts/check-platform-code.sh [REPO]   (default: this repository)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

pattern='^[[:space:]]*(@preconcurrency[[:space:]]+)?import[[:space:]]+(Glibc|Musl|Darwin|Android|Bionic|WinSDK|ucrt|Synchronization)\b|#(else)?if[^/]*\b(os|canImport)[[:space:]]*\('
found=$(git ls-files '*.swift' | grep -v -E '^Sources/(Poisk|PoiskAnalysis)/Platform/' | xargs grep -n -E "$pattern" || true)
if [[ -n "$found" ]]; then
    echo "check-platform-code: platform code outside Sources/*/Platform/ (move it behind a Platform function):" >&2
    printf '%s\n' "$found" >&2
    exit 1
fi
echo "check-platform-code: no platform imports or checks outside Sources/*/Platform/"
