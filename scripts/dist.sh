#!/usr/bin/env bash
# make dist: every release artefact in dist/, from the Linux binaries `make build` stamped:
#   echoscope_<v>_amd64.deb, echoscope-<v>.x86_64.rpm     nfpm, from a staged /usr tree
#   echoscope-<v>-linux-amd64.tar.gz                       the same tree + install.sh
#   echoscope-<v>-windows-amd64-installer.exe              Wails + NSIS (cross-built)
#   SHA256SUMS                                              over all of the above
# Packaging sources live in build/linux and build/windows; this script only assembles them.
# ECHOSCOPE_HOMEPAGE, ECHOSCOPE_MAINTAINER and ECHOSCOPE_SCREENSHOT_BASE override the defaults
# below (the release workflow sets the homepage from the GitHub repository).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(scripts/version.sh)
commit=$(git rev-parse --short HEAD)
# One timestamp for everything that records one (man pages, changelog, metainfo, nfpm, tar,
# gzip): the same commit gives byte-identical .deb, .rpm and .tar.gz (the NSIS installer is not,
# NSIS stamps its own build time).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
appid=io.github.echoscope.Echoscope
homepage=${ECHOSCOPE_HOMEPAGE:-https://github.com/echoscope/echoscope}
maintainer=${ECHOSCOPE_MAINTAINER:-Echoscope authors <echoscope@users.noreply.github.com>}
# AppStream wants screenshots as URLs: the repository's own docs/screenshots at this commit.
screenshots=${ECHOSCOPE_SCREENSHOT_BASE:-$homepage/raw/$(git rev-parse HEAD)/docs/screenshots}
app_ldflags="-X echoscope/backend/service.Version=$version -X echoscope/backend/service.Commit=$commit"
helper_ldflags="-s -w -X echoscope/cmd/echoscope-ping/internal/cli.Version=$version"

stage=build/dist-stage
tar_name=echoscope-$version-linux-amd64
log() { echo "dist: $*"; }

# --- the Linux binaries: made by `make build`, checked to carry this version ---------------------
for bin in build/bin/echoscope build/bin/echoscope-ping; do
  [ -x "$bin" ] || { echo "dist: $bin is missing: run make build" >&2; exit 1; }
done
if ! build/bin/echoscope-ping -V | grep -qF " $version"; then
  echo "dist: build/bin/echoscope-ping says '$(build/bin/echoscope-ping -V)', not $version: run make build" >&2
  exit 1
fi
if ! go version -m build/bin/echoscope | grep -qF "service.Version=$version "; then
  echo "dist: build/bin/echoscope was not stamped with $version: run make build" >&2
  exit 1
fi

rm -rf dist "$stage"
mkdir -p dist "$stage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the staged /usr tree, shared by the .deb, the .rpm and the tarball ---------------------------
log "staging $version in $stage"
install -D -m 0755 build/bin/echoscope "$stage/usr/bin/echoscope"
install -D -m 0755 build/bin/echoscope-ping "$stage/usr/bin/echoscope-ping"
install -D -m 0644 build/linux/echoscope.desktop "$stage/usr/share/applications/$appid.desktop"
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
mkdir -p "$stage/usr/share/metainfo"
sed -e "s|@APPID@|$appid|g" -e "s|@VERSION@|$version|g" -e "s|@DATE@|$date|g" \
  -e "s|@SCREENSHOT_BASE@|$screenshots|g" build/linux/echoscope.metainfo.xml \
  >"$stage/usr/share/metainfo/$appid.metainfo.xml"
# hicolor icons: the sizes desktops ask for, rendered from the 1024 px app icon, plus the SVG.
for size in 16 22 24 32 48 64 128 256 512; do
  dir=$stage/usr/share/icons/hicolor/${size}x$size/apps
  mkdir -p "$dir"
  convert build/appicon.png -resize "${size}x$size" -strip -define png:exclude-chunks=date,time "$dir/echoscope.png"
done
install -D -m 0644 build/appicon.svg "$stage/usr/share/icons/hicolor/scalable/apps/echoscope.svg"
# Man pages, gzipped without a name or time stamp (as Debian policy asks).
scripts/man.sh build/bin/echoscope-ping "$version" "$tmp/man"
mkdir -p "$stage/usr/share/man/man1"
for page in "$tmp"/man/*.1; do gzip -9n <"$page" >"$stage/usr/share/man/man1/${page##*/}.gz"; done
# copyright: the bundled Go modules and npm packages, with their licences, read from the build.
mkdir -p "$stage/usr/share/doc/echoscope"
scripts/licenses.sh build/bin/echoscope build/bin/echoscope-ping >"$stage/usr/share/doc/echoscope/copyright"
# A Debian-format changelog: Debian policy wants one in every package (lintian checks it).
{
  echo "echoscope ($version) unstable; urgency=medium"
  echo
  echo "  * Built from git commit $commit."
  echo
  echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$stage/usr/share/doc/echoscope/changelog.gz"
chmod -R u=rwX,go=rX "$stage/usr/share"

# --- .deb and .rpm ------------------------------------------------------------------------------
mtime=$(date -u -d "@$SOURCE_DATE_EPOCH" +%FT%TZ)
for format in deb rpm; do
  doc_type='' license_type=''
  # rpmlint wants everything under /usr/share/doc marked %doc, the copyright file too.
  [ "$format" = rpm ] && doc_type=doc license_type=doc
  sed -e "s|@DOC_TYPE@|$doc_type|g" -e "s|@LICENSE_TYPE@|$license_type|g" -e "s|@MTIME@|$mtime|g" -e "s|@VERSION@|$version|g" -e "s|@MAINTAINER@|$maintainer|g" -e "s|@HOMEPAGE@|$homepage|g" \
    -e "s|@STAGE@|$stage|g" -e "s|@FORMAT_SCRIPTS@|$format|g" build/linux/nfpm.yaml.in >"$tmp/nfpm-$format.yaml"
done
log "nfpm: deb and rpm"
go tool nfpm package --config "$tmp/nfpm-deb.yaml" --packager deb --target "dist/echoscope_${version}_amd64.deb"
go tool nfpm package --config "$tmp/nfpm-rpm.yaml" --packager rpm --target "dist/echoscope-$version.x86_64.rpm"

# --- the tarball: the same tree under bin/ and share/, and install.sh ----------------------------
log "tar.gz"
mkdir -p "$tmp/$tar_name"
cp -a "$stage/usr/bin" "$stage/usr/share" "$tmp/$tar_name/"
install -m 0755 build/linux/install.sh "$tmp/$tar_name/install.sh"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$tmp" -cf - "$tar_name" | gzip -9n >"dist/$tar_name.tar.gz"

# --- Windows: the helper, then the app and its NSIS installer by Wails ---------------------------
log "windows: echoscope-ping.exe, echoscope.exe and the NSIS installer"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "$helper_ldflags" \
  -o build/bin/echoscope-ping.exe ./cmd/echoscope-ping
# build/windows/installer/project.nsi packs echoscope-ping.exe beside the app and reads the
# numeric version from the environment (Windows version resources take only digits).
# -webview2 embed: see docs/packaging.md. -s: frontend built by make build; -m: go.mod is shared;
# -skipbindings: the bindings are committed (make bindings).
rm -f build/bin/Echoscope-amd64-installer.exe
ECHOSCOPE_NSIS_VERSION=$(scripts/version.sh --numeric) \
  go tool wails build -platform windows/amd64 -nsis -webview2 embed -s -m -skipbindings -trimpath \
  -ldflags "$app_ldflags" -o echoscope.exe >"$tmp/wails.log" 2>&1 ||
  { cat "$tmp/wails.log" >&2; echo "dist: the Windows build failed" >&2; exit 1; }
# NSIS names it after wails.json's "name" (project.nsi's OutFile).
mv build/bin/Echoscope-amd64-installer.exe "dist/echoscope-$version-windows-amd64-installer.exe"

# --- checksums ----------------------------------------------------------------------------------
(cd dist && sha256sum -- * >SHA256SUMS)
log "done:"
(cd dist && ls -l)
