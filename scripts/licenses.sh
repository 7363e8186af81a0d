#!/usr/bin/env bash
# Writes the copyright file the packages carry: Echoscope's own notice, then every Go module
# linked into the given binaries (read from the binaries themselves with `go version -m`, so the
# list is exactly what was built from go.mod) and every npm package bundled into the frontend
# (frontend/dist/bundled-packages.json, written by vite.config.ts from the bundle's module graph,
# versions from package-lock.json), each with its licence text.
# Usage: scripts/licenses.sh BINARY... > copyright
set -euo pipefail
cd "$(dirname "$0")/.."

licence_text() { # the licence file(s) in a package directory, or a line saying there is none
  local dir=$1 found=0 f
  for f in "$dir"/*; do
    case ${f##*/} in
      LICENSE* | LICENCE* | License* | license* | COPYING* | NOTICE* | UNLICENSE*)
        [ -f "$f" ] || continue
        found=1; echo "  ${f##*/}:"
        # Debian policy: the Apache 2.0 text is not repeated, it is in common-licenses.
        if grep -q 'Apache License' "$f" && grep -q 'Version 2.0, January 2004' "$f"; then
          echo "    Apache License 2.0: /usr/share/common-licenses/Apache-2.0 on Debian and Ubuntu,"
          echo "    https://www.apache.org/licenses/LICENSE-2.0 elsewhere."
        else
          sed -e 's/^$/./' -e 's/^/    /' "$f"
        fi ;;
    esac
  done
  [ "$found" = 1 ] || echo "    (no licence file in the package; see its source)"
}

cat <<'HEAD'
Echoscope: an ICMP echo workbench.
Copyright 2026 the Echoscope authors.
The authors have not yet published a licence for Echoscope's own code.

Echoscope's binaries contain the libraries below, each under its own licence.
HEAD

echo
echo "Go modules linked into $(printf '%s ' "${@##*/}")(from go version -m)"
echo "============================================================================"
# "dep path version [sum]" lines, and "=> path version" where a module is replaced.
mods=$(go version -m "$@" | awk '$1 == "dep" || $1 == "=>" { print $2 "@" $3 }' | sort -u)
# go mod download -json prints one object per module with the directory of its sources.
go mod download -json $mods | jq -r '"\(.Path) \(.Version) \(.Dir)"' | while read -r path version dir; do
  echo
  echo "$path $version"
  licence_text "$dir"
done
echo
echo "Go standard library and runtime $(go env GOVERSION)"
licence_text "$(go env GOROOT)"

echo
echo "npm packages bundled into the window's page (frontend/dist/bundled-packages.json)"
echo "============================================================================"
for name in $(jq -r '.[]' frontend/dist/bundled-packages.json); do
  meta=$(jq -r --arg k "node_modules/$name" '.packages[$k] | "\(.version) \(.license)"' frontend/package-lock.json)
  echo
  echo "$name ${meta% *} (${meta#* })"
  licence_text "frontend/node_modules/$name"
done
