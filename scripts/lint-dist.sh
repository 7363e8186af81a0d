#!/usr/bin/env bash
# Lints what `make dist` made, with the ecosystems' own linters: lintian (.deb), rpmlint (.rpm),
# desktop-file-validate (.desktop) and appstreamcli (metainfo). Errors fail; the findings kept
# on purpose are listed with their reasons in build/linux/lintian-overrides and rpmlint.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(ls dist/echoscope_*_amd64.deb)
rpm=$(ls dist/echoscope-*.x86_64.rpm)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "lint-dist: lintian $deb"
# --fail-on error,warning: a new warning fails too, until it is fixed or overridden with a reason.
status=0
lintian --fail-on error,warning "$deb" >"$tmp/lintian.txt" 2>&1 || status=$?
grep -v '^running with root privileges' "$tmp/lintian.txt" || true
[ "$status" = 0 ] || { echo "lint-dist: lintian failed" >&2; exit 1; }

echo "lint-dist: rpmlint $rpm"
# rpmlint unpacks with `rpm2cpio | cpio -id`, and nfpm's payload names are absolute
# (/usr/bin/...): plain cpio would write them into this machine's /usr. A cpio that strips the
# leading / keeps the unpacking inside rpmlint's temporary directory.
mkdir "$tmp/bin"
printf '#!/bin/sh\nexec %s --no-absolute-filenames "$@"\n' "$(command -v cpio)" >"$tmp/bin/cpio"
chmod +x "$tmp/bin/cpio"
PATH="$tmp/bin:$PATH" rpmlint -c build/linux/rpmlint.toml "$rpm"

echo "lint-dist: desktop-file-validate, appstreamcli validate"
dpkg-deb -x "$deb" "$tmp/root"
desktop-file-validate "$tmp"/root/usr/share/applications/*.desktop
# --no-net: the screenshot URLs are checked by form here, not fetched (tests stay off the net).
appstreamcli validate --no-net --pedantic "$tmp"/root/usr/share/metainfo/*.metainfo.xml
echo "lint-dist: ok"
