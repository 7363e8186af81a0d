# Echoscope: two commands for people, the rest for the steps they are made of.
#   make run    builds and opens the desktop app
#   make test   runs every test (as root: the engine tests create network namespaces)
# Every target first runs scripts/setup.sh, which installs what is missing and is quick otherwise.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# Go and Node installed by scripts/toolchains.sh (when the machine had none) come first; the
# script says where it installs them (ECHOSCOPE_TOOLCHAINS, or its default for this user).
export PATH := $(shell $(dir $(lastword $(MAKEFILE_LIST)))scripts/toolchains.sh --bin-path):$(PATH)

TAGS        := webkit2_41
# The version from git tags (scripts/version.sh), stamped into both binaries: the app's About
# reads service.Version, echoscope-ping -V prints cli.Version.
VERSION     := $(shell scripts/version.sh)
COMMIT      := $(shell git rev-parse --short HEAD 2>/dev/null)
LDFLAGS     := -X echoscope/backend/service.Version=$(VERSION) -X echoscope/backend/service.Commit=$(COMMIT)
HELPER_LDFLAGS := -s -w -X echoscope/cmd/echoscope-ping/internal/cli.Version=$(VERSION)
FUZZTIME    ?= 10s
# -p 1: one test binary at a time. A raw ICMP socket sees every ICMP message on the host, so
# packages pinging loopback at the same time would count each other's packets as foreign.
GO_TEST_FLAGS ?= -p 1
APP         := build/bin/echoscope

.PHONY: wailsjs-modes helper setcap run build setup frontend web bindings check unit go-test fuzz cross build-check e2e smoke \
        dist lint-dist test-dist test-wine lint-workflows test bench screenshots clean help

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: ## install missing apt packages, node modules and Go modules (idempotent)
	@scripts/setup.sh

run: build ## build and launch the desktop app
	$(APP)

# --- building ----------------------------------------------------------------------------------
bindings: setup ## regenerate the page's types from Go: frontend/wailsjs (Wails, bound services) and src/lib/wire/generated.ts (tools/wirets)
	@echo 'go tool wails generate module -tags $(TAGS)'
	@out=$$(go tool wails generate module -tags $(TAGS) 2>&1) || { echo "$$out"; exit 1; }
	@$(MAKE) --no-print-directory wailsjs-modes
	go run ./tools/wirets

frontend: setup ## build the WebAssembly codec and the frontend into frontend/dist
	cd frontend && npm run build

web: setup ## the static web lab: dist/web/ (index.html, JS, wire.wasm; Lab and Decode, no backend)
	cd frontend && npm run build:web

# The privileged helper, built beside the app: the GUI looks for it there first (then PATH).
# PIE (address-space randomisation) for both binaries, as Debian and Fedora build theirs; -s -w
# as Wails strips the app (panics still name functions).
helper: setup ## build/bin/echoscope-ping (pure Go, CGO_ENABLED=0, PIE)
	CGO_ENABLED=0 go build -trimpath -buildmode=pie -ldflags "$(HELPER_LDFLAGS)" -o build/bin/echoscope-ping ./cmd/echoscope-ping

setcap: helper ## give the helper raw sockets (as Debian does for ping), so the GUI need not run as root
	sudo setcap cap_net_raw=ep build/bin/echoscope-ping
	getcap build/bin/echoscope-ping

build: frontend helper ## production binary build/bin/echoscope (-s: frontend built above; -m: no go mod tidy, go.mod is shared)
	GOFLAGS=-buildmode=pie go tool wails build -s -m -tags $(TAGS) -ldflags "$(LDFLAGS)"
	@$(MAKE) --no-print-directory wailsjs-modes

# Wails writes the generated bindings executable (0755); keep them plain files in git.
wailsjs-modes:
	@find frontend/wailsjs -type f -exec chmod 0644 {} +

# --- tests -----------------------------------------------------------------------------------
check: bindings ## svelte-check (TypeScript strict, a11y) on the frontend
	cd frontend && npm run check

unit: setup ## Vitest units of the frontend
	cd frontend && npm test

go-test: frontend ## go vet and go test of every package (root: namespaces for engine tests)
	@if [ "$$(id -u)" -ne 0 ]; then echo "go-test: not root: tests that need network namespaces will skip"; fi
	go vet -tags $(TAGS) ./...
	go test $(GO_TEST_FLAGS) -tags $(TAGS) ./...

fuzz: setup ## every Fuzz target for FUZZTIME (default 10s) each
	FUZZTIME=$(FUZZTIME) scripts/fuzz-smoke.sh

cross: setup ## cross-compile checks: Windows build, macOS vet, Linux arm64 vet and 386 build (no cgo); the history store's tests on the pure-Go SQLite of no-cgo builds
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 go vet ./...
	# the engine's Linux system-call structures (io_uring, msghdr) differ by word size
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go vet ./backend/... ./cmd/...
	CGO_ENABLED=0 GOOS=linux GOARCH=386 go build ./backend/... ./cmd/...
	# go-test runs the store on C SQLite (cgo); builds without cgo (Windows) use modernc.org/sqlite
	# (backend/history/driver_purego.go). The memory-bound test is the same for both: left out.
	CGO_ENABLED=0 go test $(GO_TEST_FLAGS) -count=1 -skip '^TestImportMemoryIsBoundedWhateverTheSize$$' ./backend/history/...

e2e: frontend ## the app (dev binary under Xvfb) in Chromium (Playwright) and WebKitGTK (WebKitWebDriver), and the packet inspector page
	cd frontend && npm run e2e

smoke: build ## Xvfb smoke test of the production binary (window up, screenshot not blank)
	scripts/smoke-xvfb.sh

# --- packages (docs/packaging.md) --------------------------------------------------------------
dist: build ## release artefacts in dist/: .deb, .rpm, .tar.gz, Windows installer, SHA256SUMS
	scripts/dist.sh

lint-dist: dist ## lintian, rpmlint, desktop-file-validate, appstreamcli validate on dist/
	scripts/lint-dist.sh

test-dist: lint-dist ## install the .deb and use it as an unprivileged user, purge; tarball install.sh; inspect the .rpm
	scripts/test-dist.sh

test-wine: dist ## echoscope-ping.exe and the NSIS installer under wine (loopback-only namespace)
	scripts/test-wine.sh

lint-workflows: setup ## actionlint (pinned in go.mod) on .github/workflows
	go tool actionlint

test: setup check unit go-test fuzz cross build e2e smoke lint-workflows test-dist test-wine ## everything above, in order
	@echo "make test: all passed"

bench: setup ## benchmarks (scripts/bench.sh); BENCH_SECTIONS="gap soak" runs only those sections
	@if [ -x scripts/bench.sh ]; then scripts/bench.sh $(BENCH_SECTIONS); else echo "bench: scripts/bench.sh is not there yet"; exit 1; fi

# Every picture in docs/screenshots comes from WebKitGTK, the engine of the app's window: the
# production window from the Xvfb smoke run, the rest from e2e/docs-screenshots.mjs
# (WebKitWebDriver + MiniBrowser, real sessions on namespaced test hosts; needs root).
screenshots: build ## refresh docs/screenshots: all in WebKitGTK, at 1280x820, 900x700 and 1920x1080 (root)
	@if [ "$$(id -u)" -ne 0 ]; then echo "screenshots: needs root (the sessions ping namespaced test hosts)"; exit 1; fi
	scripts/smoke-xvfb.sh docs/screenshots/window.png
	cd frontend && node --test --test-reporter=spec e2e/docs-screenshots.mjs

clean: ## remove build outputs (not node_modules)
	rm -rf build/bin build/test-artifacts build/dist-stage dist frontend/dist/assets frontend/dist/index.html \
	  frontend/public/wire.wasm frontend/public/wasm_exec.js
