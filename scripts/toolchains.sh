#!/usr/bin/env bash
# Installs the Go and Node.js toolchains Echoscope needs when the machine has none (or too old
# ones): Debian and Ubuntu package Go and Node versions that are years behind. Both come from
# registries the build already uses, pinned by version and SHA-256:
#   Go    the toolchain zip the Go module proxy serves for GOTOOLCHAIN downloads
#   Node  the node-linux-<arch> package of the npm registry (the official binary) plus npm itself
# They go to $ECHOSCOPE_TOOLCHAINS (default /opt/echoscope-toolchains as root, else
# ~/.local/share/echoscope-toolchains); the Makefile puts their bin directories first on PATH.
# Run: scripts/toolchains.sh. Prints nothing and downloads nothing when suitable versions are already on PATH.
set -euo pipefail

GO_VERSION=1.26.8
GO_MIN=1.26
NODE_VERSION=20.20.2
NODE_MIN=20.19
NPM_VERSION=11.19.1

declare -A GO_SHA256=(
  [amd64]=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7
  [arm64]=02b36b6787b3ac767668f630e2998df45a3b1f9ffee08d1bf3ef6487cd658d99
)
declare -A NODE_SHA256=(
  [x64]=c3e7aaf69557617ff16376e83078daf2e862f086399b32b341f68ebcd5e72781
  [arm64]=22f39737865492ba68bf7aa0f01f3af5b0ed5d9144b75a0ad52459c32d447998
)
NPM_SHA256=9f58bff01604cb1b14008fef14dceb14d836a49225e45c6c2e37de3be3e707f0

GOPROXY_URL=${GOPROXY_URL:-https://proxy.golang.org}
NPM_REGISTRY=${NPM_REGISTRY:-https://registry.npmjs.org}

say() { printf 'toolchains: %s\n' "$*"; }
die() { printf 'toolchains: error: %s\n' "$*" >&2; exit 1; }

default_dir() {
  if [ "$(id -u)" -eq 0 ]; then echo /opt/echoscope-toolchains; else echo "${XDG_DATA_HOME:-$HOME/.local/share}/echoscope-toolchains"; fi
}
DIR=${ECHOSCOPE_TOOLCHAINS:-$(default_dir)}
# --bin-path: print the directories to put first on PATH (for setup.sh), install nothing.
if [ "${1:-}" = --bin-path ]; then echo "$DIR/go/bin:$DIR/node/bin"; exit 0; fi
export PATH="$DIR/go/bin:$DIR/node/bin:$PATH"

version_at_least() { # HAVE WANT (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# fetch URL SHA256 FILE: download to FILE and refuse it unless the hash matches the pin.
fetch() {
  curl -fsSL --retry 3 -o "$3" "$1" || die "cannot download $1"
  echo "$2  $3" | sha256sum -c --quiet - || die "checksum mismatch for $1 (pinned $2)"
}

go_ok() {
  command -v go >/dev/null 2>&1 && version_at_least "$(go env GOVERSION 2>/dev/null | sed 's/^go//')" "$GO_MIN"
}

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    version_at_least "$(node --version | sed 's/^v//')" "$NODE_MIN"
}

install_go() {
  local arch
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) die "no pinned Go for $(uname -m): install Go >= $GO_MIN from https://go.dev/dl/" ;; esac
  local name="v0.0.1-go$GO_VERSION.linux-$arch" tmp
  tmp=$(mktemp -d)
  say "installing Go $GO_VERSION into $DIR/go (from the Go module proxy)"
  fetch "$GOPROXY_URL/golang.org/toolchain/@v/$name.zip" "${GO_SHA256[$arch]}" "$tmp/go.zip"
  unzip -q "$tmp/go.zip" -d "$tmp"
  # Module zips keep no file modes: make the commands and tools executable, as `go` does when
  # it downloads a toolchain itself.
  local root="$tmp/golang.org/toolchain@$name"
  chmod -R a+rX "$root"
  find "$root/bin" "$root/pkg/tool" -type f -exec chmod a+x {} +
  mkdir -p "$DIR"
  rm -rf "$DIR/go"
  mv "$root" "$DIR/go"
  rm -rf "$tmp"
}

install_node() {
  local arch
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) die "no pinned Node for $(uname -m): install Node >= $NODE_MIN from https://nodejs.org/" ;; esac
  local tmp
  tmp=$(mktemp -d)
  say "installing Node $NODE_VERSION and npm $NPM_VERSION into $DIR/node (from the npm registry)"
  fetch "$NPM_REGISTRY/node-linux-$arch/-/node-linux-$arch-$NODE_VERSION.tgz" "${NODE_SHA256[$arch]}" "$tmp/node.tgz"
  fetch "$NPM_REGISTRY/npm/-/npm-$NPM_VERSION.tgz" "$NPM_SHA256" "$tmp/npm.tgz"
  mkdir -p "$tmp/node" "$tmp/npm"
  tar -xzf "$tmp/node.tgz" -C "$tmp/node" --strip-components=1
  tar -xzf "$tmp/npm.tgz" -C "$tmp/npm" --strip-components=1
  mkdir -p "$tmp/node/lib/node_modules" "$DIR"
  chmod a+x "$tmp/npm/bin/npm-cli.js" "$tmp/npm/bin/npx-cli.js"
  mv "$tmp/npm" "$tmp/node/lib/node_modules/npm"
  # The layout of the official tarball: npm and npx resolve their own files through the link.
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$tmp/node/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$tmp/node/bin/npx"
  rm -rf "$DIR/node"
  mv "$tmp/node" "$DIR/node"
  rm -rf "$tmp"
}

go_ok || install_go
go_ok || die "Go >= $GO_MIN is still not usable after installing it into $DIR/go"
node_ok || install_node
node_ok || die "Node >= $NODE_MIN with npm is still not usable after installing it into $DIR/node"
