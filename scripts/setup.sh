#!/usr/bin/env bash
# Installs what Echoscope needs to build, run and test, and nothing twice: each step checks
# first (dpkg -s, command -v, a lockfile hash) and is quick when everything is present.
# Used by `make run` and `make test`; safe to run by hand. Debian 12 / Ubuntu 22.04+.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- toolchains we do not install for you (distribution packages are too old) -------------
version_at_least() { # version_at_least HAVE WANT  (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

command -v go >/dev/null 2>&1 ||
  die "Go is not on PATH. Install Go >= 1.26 from https://go.dev/dl/ (then add /usr/local/go/bin to PATH)."
go_version=$(go env GOVERSION | sed 's/^go//')
version_at_least "$go_version" 1.26 ||
  die "Go $go_version is too old: Echoscope needs Go >= 1.26 (https://go.dev/dl/)."

command -v node >/dev/null 2>&1 ||
  die "Node.js is not on PATH. Install Node >= 20.19 (e.g. https://github.com/nodesource/distributions or nvm)."
node_version=$(node --version | sed 's/^v//')
version_at_least "$node_version" 20.19 ||
  die "Node $node_version is too old: Vite 8 needs Node >= 20.19 (https://nodejs.org/)."

# --- apt packages ---------------------------------------------------------------------------
# Build: GTK and WebKitGTK 4.1 headers (Wails with -tags webkit2_41). Tests: a virtual X server
# and tools to find and photograph the window, Chromium for Playwright, tshark to check pcaps,
# iproute2 for test namespaces, ping/fping to compare against, setcap for the helper, NSIS for
# the Windows installer.
packages=(libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential xvfb xauth xdotool
  imagemagick chromium tshark iproute2 iputils-ping fping libcap2-bin nsis)

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
