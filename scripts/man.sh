#!/usr/bin/env bash
# Writes the man pages echoscope.1 and echoscope-ping.1 into OUTDIR from build/linux/man/*.1.in.
# echoscope-ping's OPTIONS section is made from its own -h text, so the page cannot drift from
# the flags the program takes.
# Usage: scripts/man.sh HELPER_BINARY VERSION OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
helper=$1 version=$2 out=$3
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" +%F)
mkdir -p "$out"

# -h exits 2 and prints the usage on stderr, as iputils ping does.
usage=$("$helper" -h 2>&1 || true)
# roff_usage: a -h text on stdin -> man page sections:
# "  -c <count>         stop after <count> replies" -> .TP / .B -c <count> / text.
# "Options (...):" headings -> .SS; the free text at the end -> a paragraph.
roff_usage() {
  awk '
  function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
  /^Usage/ { skip = 1; next }
  /^[A-Z].*:$/ { skip = 0; sub(/:$/, ""); print ".SS " roff($0); next }
  skip || /^$/ { next }
  /^  [-<]/ {
    line = substr($0, 3); split(line, parts, /  +/)
    flag = parts[1]; desc = substr(line, length(flag) + 1); sub(/^ +/, "", desc)
    print ".TP"; print ".B " roff(flag); print roff(desc); next
  }
  { if (!para++) print ".PP"; print roff($0) }
'
}
options=$(roff_usage <<<"$usage")
[ -n "$options" ] || { echo "man.sh: no options read from $helper -h" >&2; exit 1; }
# The exporter's options (echoscope-ping exporter -h) follow as a section of their own.
exporter_usage=$("$helper" exporter -h 2>&1 || true)
exporter_options=$(roff_usage <<<"$exporter_usage")
[ -n "$exporter_options" ] || { echo "man.sh: no options read from $helper exporter -h" >&2; exit 1; }
options+=$'\n'$exporter_options

fill() { sed -e "s|@VERSION@|$version|g" -e "s|@DATE@|$date|g" "$1"; }
fill build/linux/man/echoscope.1.in >"$out/echoscope.1"
fill build/linux/man/echoscope-ping.1.in | awk -v opts="$options" '$0 == "@OPTIONS@" { print opts; next } { print }' >"$out/echoscope-ping.1"
