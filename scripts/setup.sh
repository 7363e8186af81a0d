#!/usr/bin/env bash
# Installs what Echoscope needs to build, run and test, and nothing twice: each step checks
# first (dpkg -s, command -v, a lockfile hash) and is quick when everything is present.
# Used by `make run` and `make test`; safe to run by hand. Debian 12 / Ubuntu 22.04+.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- apt packages ---------------------------------------------------------------------------
# Build: GTK and WebKitGTK 4.1 headers (Wails with -tags webkit2_41). Tests: a virtual X server
# and tools to find and photograph the window, Chromium for Playwright, tshark to check pcaps,
# iproute2 for test namespaces, ping/fping/mtr to compare against, setcap for the helper, NSIS for
# the Windows installer; WebKitWebDriver (webkit2gtk-driver) to drive the engine the app really
# uses; the packaging linters (lintian, rpm, rpmlint, desktop-file-utils, appstream); wine64 and
# MinGW to run the Windows build; tcpdump, xxd, hexdump (bsdextrautils) whose output Decode reads;
# prometheus (promtool and a server to scrape the exporter); stress-ng for loaded-machine benches;
# shellcheck, which actionlint runs on the workflows' scripts.
packages=(curl ca-certificates unzip git libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential xvfb xauth xdotool
  imagemagick chromium tshark iproute2 iputils-ping fping mtr-tiny libcap2-bin nsis webkit2gtk-driver
  lintian rpm rpmlint desktop-file-utils appstream wine64 gcc-mingw-w64-x86-64 tcpdump xxd bsdextrautils
  prometheus stress-ng shellcheck)

# Ubuntu ships Chromium as a snap behind the chromium-browser package: accept any chromium.
have_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }

missing=()
for pkg in "${packages[@]}"; do
  if [ "$pkg" = chromium ] && have_chromium; then continue; fi
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing apt packages: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install as root: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  # tshark asks whether non-root users may capture; answer "no" up front so nothing blocks.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # Ubuntu has no "chromium" deb; fall back to its chromium-browser package.
  if printf '%s\n' "${missing[@]}" | grep -qx chromium && ! apt-cache show chromium >/dev/null 2>&1; then
    missing=("${missing[@]/#chromium/chromium-browser}")
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- Go and Node.js ------------------------------------------------------------------------------
# Distribution packages are too old (Go >= 1.26 and Node >= 20.19 are needed): toolchains.sh
# installs pinned ones when the PATH has none, and puts them first on this script's PATH.
scripts/toolchains.sh
PATH="$(scripts/toolchains.sh --bin-path):$PATH"
go_version=$(go env GOVERSION | sed 's/^go//')
node_version=$(node --version | sed 's/^v//')

# --- node modules -----------------------------------------------------------------------------
# Reinstall exactly what package-lock.json says whenever it changed since the last npm ci.
lock=frontend/package-lock.json
stamp=frontend/node_modules/.echoscope-lock.sha256
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [ ! -d frontend/node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "npm ci (node_modules missing or older than $lock)"
  (cd frontend && npm ci --no-audit --no-fund)
  echo "$want" >"$stamp"
fi

# --- Go modules and the Wails CLI (pinned in go.mod as a tool) -------------------------------
go mod download
go tool wails version >/dev/null 2>&1 || die "go tool wails does not run; check the tool directive in go.mod"

say "ok (go $go_version, node $node_version)"
