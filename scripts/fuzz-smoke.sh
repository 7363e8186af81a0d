#!/usr/bin/env bash
# Runs every fuzz target in the repository for a short time (FUZZTIME, default 10s), so a
# parser that panics on some input fails `make test`. Targets are found, not listed: a new
# `func FuzzX(f *testing.F)` in any *_test.go is picked up automatically.
# Longer runs by hand: FUZZTIME=10m scripts/fuzz-smoke.sh, or go test -fuzz=^FuzzX$ ./pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}

mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*_test.go' | sort)
count=0
for file in "${files[@]}"; do
  [ -f "$file" ] || continue
  pkg=./$(dirname "$file")
  while read -r name; do
    [ -n "$name" ] || continue
    printf 'fuzz: %s %s for %s\n' "$pkg" "$name" "$fuzztime"
    # -parallel 1: the machine is shared; a short smoke does not need every core.
    go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -parallel=1 "$pkg"
    count=$((count + 1))
  done < <(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*\*testing\.F).*/\1/p' "$file")
done
printf 'fuzz: %d targets passed\n' "$count"
