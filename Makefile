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
VERSION     := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -X echoscope/backend/service.Version=$(VERSION)
FUZZTIME    ?= 10s
# -p 1: one test binary at a time. A raw ICMP socket sees every ICMP message on the host, so
# packages pinging loopback at the same time would count each other's packets as foreign.
GO_TEST_FLAGS ?= -p 1
APP         := build/bin/echoscope

.PHONY: wailsjs-modes helper setcap run build setup frontend bindings check unit go-test fuzz cross build-check e2e smoke \
        test bench screenshots clean help

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: ## install missing apt packages, node modules and Go modules (idempotent)
	@scripts/setup.sh

run: build ## build and launch the desktop app
	$(APP)

# --- building ----------------------------------------------------------------------------------
bindings: setup ## regenerate frontend/wailsjs from the bound Go services
	@echo 'go tool wails generate module -tags $(TAGS)'
	@out=$$(go tool wails generate module -tags $(TAGS) 2>&1) || { echo "$$out"; exit 1; }
	@$(MAKE) --no-print-directory wailsjs-modes

frontend: setup ## build the WebAssembly codec and the frontend into frontend/dist
	cd frontend && npm run build

# The privileged helper, built beside the app: the GUI looks for it there first (then PATH).
helper: setup ## build/bin/echoscope-ping (static, CGO_ENABLED=0)
	CGO_ENABLED=0 go build -trimpath -o build/bin/echoscope-ping ./cmd/echoscope-ping

setcap: helper ## give the helper raw sockets (as Debian does for ping), so the GUI need not run as root
	sudo setcap cap_net_raw=ep build/bin/echoscope-ping
	getcap build/bin/echoscope-ping

build: frontend helper ## production binary build/bin/echoscope (-s: frontend built above; -m: no go mod tidy, go.mod is shared)
	go tool wails build -s -m -tags $(TAGS) -ldflags "$(LDFLAGS)"
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

cross: setup ## cross-compile checks: Windows build, macOS vet, Linux arm64 vet and 386 build (no cgo)
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 go vet ./...
	# the engine's Linux system-call structures (io_uring, msghdr) differ by word size
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go vet ./backend/... ./cmd/...
	CGO_ENABLED=0 GOOS=linux GOARCH=386 go build ./backend/... ./cmd/...

e2e: frontend ## Playwright: the app (dev binary under Xvfb + Chromium) and the packet inspector page
	cd frontend && npm run e2e

smoke: build ## Xvfb smoke test of the production binary (window up, screenshot not blank)
	scripts/smoke-xvfb.sh

test: setup check unit go-test fuzz cross build e2e smoke ## everything above, in order
	@echo "make test: all passed"

bench: setup ## benchmarks (scripts/bench.sh); BENCH_SECTIONS="gap soak" runs only those sections
	@if [ -x scripts/bench.sh ]; then scripts/bench.sh $(BENCH_SECTIONS); else echo "bench: scripts/bench.sh is not there yet"; exit 1; fi

screenshots: build e2e ## refresh docs/screenshots from the Xvfb smoke and the e2e run
	scripts/smoke-xvfb.sh docs/screenshots/window.png
	cp build/test-artifacts/e2e-time-exceeded.png docs/screenshots/decode-time-exceeded.png
	cp build/test-artifacts/e2e-dark.png docs/screenshots/decode-dark.png
	cp build/test-artifacts/e2e-ping-loss.png docs/screenshots/ping-live.png
	cp build/test-artifacts/e2e-ping-duplicate.png docs/screenshots/ping-inspector.png

clean: ## remove build outputs (not node_modules)
	rm -rf build/bin build/test-artifacts frontend/dist/assets frontend/dist/index.html \
	  frontend/public/wire.wasm frontend/public/wasm_exec.js
