#!/usr/bin/env bash
# Writes the copyright file the packages carry: Echoscope's own notice, then every Go module
# linked into the given binaries (read from the binaries themselves with `go version -m`, so the
# list is exactly what was built from go.mod) and every npm package bundled into the frontend
# (frontend/dist/bundled-packages.json, written by vite.config.ts from the bundle's module graph,
# versions from package-lock.json), each with its licence text; and C code a module compiles in
# (SQLite, through go-sqlite3) with its notice, read from the module's sources.
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
modules=$(go mod download -json $mods | jq -r '"\(.Path) \(.Version) \(.Dir)"')
while read -r path version dir; do
  echo
  echo "$path $version"
  licence_text "$dir"
done <<<"$modules"
echo
echo "Go standard library and runtime $(go env GOVERSION)"
licence_text "$(go env GOROOT)"

# C code compiled into the binaries by a Go module is listed on its own: go-sqlite3 compiles
# SQLite's amalgamation (sqlite3-binding.c) in, unless built with the libsqlite3 tag (then the
# system's shared library is used, packaged and licensed by the distribution).
sqlite_dir=$(awk '$1 == "github.com/mattn/go-sqlite3" { print $3 }' <<<"$modules")
if [ -n "$sqlite_dir" ]; then
  # Read once: every binary that bundles SQLite bundles this one.
  sqlite_version=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"$/\1/p' "$sqlite_dir/sqlite3-binding.h")
  sqlite_source=$(sed -n 's/^#define SQLITE_SOURCE_ID  *"\(.*\)"$/\1/p' "$sqlite_dir/sqlite3-binding.h")
  [ -n "$sqlite_version" ] && [ -n "$sqlite_source" ] ||
    { echo "licenses.sh: no SQLITE_VERSION/SQLITE_SOURCE_ID in $sqlite_dir/sqlite3-binding.h" >&2; exit 1; }
  # The first notice in the amalgamation, from its disclaimer to the blessing's last line.
  notice=$(awk '/The author disclaims copyright to this source code/ { on = 1 }
    on { sub(/^\*\* ?/, ""); print } on && /May you share freely/ { exit }' "$sqlite_dir/sqlite3-binding.c")
  grep -q 'May you share freely' <<<"$notice" ||
    { echo "licenses.sh: no public-domain notice found in $sqlite_dir/sqlite3-binding.c" >&2; exit 1; }
  echo
  echo "C libraries compiled into the binaries"
  echo "============================================================================"
  for bin in "$@"; do
    info=$(go version -m "$bin")
    grep -q '^[[:space:]]*dep[[:space:]]*github.com/mattn/go-sqlite3[[:space:]]' <<<"$info" || continue
    if grep -qE '^[[:space:]]*build[[:space:]]+-tags=(.*,)?libsqlite3(,|$)' <<<"$info"; then
      echo
      echo "SQLite: ${bin##*/} links the system's libsqlite3 (built with the libsqlite3 tag); not bundled"
      continue
    fi
    echo
    echo "SQLite $sqlite_version (source id $sqlite_source)"
    echo "  compiled into ${bin##*/} from the amalgamation in github.com/mattn/go-sqlite3."
    echo "  Public domain; the notice at the top of its sources (sqlite3-binding.c):"
    sed -e 's/^[[:space:]]*$/./' -e 's/^/    /' <<<"$notice"
  done
fi

echo
echo "npm packages bundled into the window's page (frontend/dist/bundled-packages.json)"
echo "============================================================================"
for name in $(jq -r '.[]' frontend/dist/bundled-packages.json); do
  meta=$(jq -r --arg k "node_modules/$name" '.packages[$k] | "\(.version) \(.license)"' frontend/package-lock.json)
  echo
  echo "$name ${meta% *} (${meta#* })"
  licence_text "frontend/node_modules/$name"
done
