#!/usr/bin/env bash
# scripts/bench.sh firstpaint: time from process start to the first frame of the window with
# the Ping view and its Target field focused (issue 17 point 1: goal <= 1 s on a quiet machine).
#
#   echoscope     the production binary (tags desktop,production; frontend/dist embedded)
#   empty window  scripts/bench/emptywindow: a Wails WebKitGTK window of the same size with a
#                 one-line page, the baseline of what Wails and WebKitGTK cost before the app
#
# Detection: both run with ECHOSCOPE_TRACE_STARTUP=1; the page emits app:firstpaint in the
# first task after its first frame (requestAnimationFrame, then a timeout) and the Go side
# prints "first paint unix_ms=..." on stderr at once. First paint = that wall-clock time minus
# the time this script launched the process (date +%s%3N just before the launch). The line
# also says what had focus, and the run fails unless it is the Target field (ping-target).
# BENCH_FIRSTPAINT_RUNS launches (10) of each, alternating (A B B A ...), on one Xvfb kept
# for the whole run, each with a fresh ECHOSCOPE_DATA_DIR (the history database is created
# and migrated at first use, as on a first start); then the same with stress-ng --cpu 2
# running beside them. Medians, and every raw figure, are printed, with two parts of the
# total: "before main" (total minus since_main_ms: exec, dynamic linking of GTK/WebKitGTK, Go
# runtime and package init) and "page" (page_ms: the page's performance.now() at its first
# paint, i.e. from its navigation's start: loading and running its script and styles, mount,
# drawing).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_FIRSTPAINT_RUNS:-10}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/echoscope-bench-firstpaint.XXXXXX)}
mkdir -p "$OUT"
[ -f frontend/dist/index.html ] || { echo "bench firstpaint: frontend/dist is not built: run make frontend" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "bench firstpaint: Xvfb not installed (scripts/setup.sh)" >&2; exit 1; }

echo "== building the production binary and the empty-window baseline into $OUT"
go build -tags desktop,production,webkit2_41 -ldflags "-s -w" -o "$OUT/echoscope" .
go build -tags desktop,production,webkit2_41 -ldflags "-s -w" -o "$OUT/emptywindow" ./scripts/bench/emptywindow

XVFB_PID=""
STRESS_PID=""
cleanup() {
	for p in $STRESS_PID $XVFB_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

# A free display number: the first without a lock file.
disp=90
while [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1400x900x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.05; done

# launch BIN LABEL: one launch; prints the first-paint time in ms.
launch() {
	local bin=$1 label=$2 data err start pid line at focus
	data=$(mktemp -d "$OUT/data.XXXXXX")
	err="$OUT/$label.$RANDOM.err"
	: >"$err"
	start=$(date +%s%3N)
	DISPLAY=":$disp" WEBKIT_DISABLE_DMABUF_RENDERER=1 ECHOSCOPE_TRACE_STARTUP=1 ECHOSCOPE_DATA_DIR="$data" \
		"$bin" >/dev/null 2>"$err" &
	pid=$!
	for _ in $(seq 1 600); do # a 30 s failure deadline
		grep -q 'first paint' "$err" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$data"
	line=$(grep -m1 'first paint' "$err" || true)
	[ -n "$line" ] || { echo "bench firstpaint: $label never reported its first paint:" >&2; cat "$err" >&2; exit 1; }
	at=$(sed -n 's/.*unix_ms=\([0-9]*\).*/\1/p' <<<"$line")
	focus=$(sed -n 's/.*focus=\([^ ]*\).*/\1/p' <<<"$line")
	if [ "$label" = echoscope ] && [ "$focus" != ping-target ]; then
		echo "bench firstpaint: the first frame had $focus focused, not the Target field" >&2
		exit 1
	fi
	# The total, and the part before Go's main package initialised (exec, dynamic linking of
	# GTK/WebKitGTK, the Go runtime and its dependencies' init).
	echo "$((at - start)) $((at - start - $(sed -n 's/.*since_main_ms=\([0-9]*\).*/\1/p' <<<"$line"))) $(sed -n 's/.*page_ms=\([0-9]*\).*/\1/p' <<<"$line") $(sed -n 's/.*script_ms=\([0-9]*\).*/\1/p' <<<"$line") $(sed -n 's/.*mounted_ms=\([0-9]*\).*/\1/p' <<<"$line")"
}

median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) { print "nan"; exit } print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

# series NAME: RUNS launches of each binary, alternating; prints both medians and raw figures.
series() {
	local name=$1 app=() empty=() apre=() epre=() apage=() epage=() ascript=() amount=() r a e at ap ag as am et ep eg
	for r in $(seq 0 $((RUNS - 1))); do
		if [ $((r % 4)) = 0 ] || [ $((r % 4)) = 3 ]; then
			a=$(launch "$OUT/echoscope" echoscope)
			e=$(launch "$OUT/emptywindow" empty)
		else
			e=$(launch "$OUT/emptywindow" empty)
			a=$(launch "$OUT/echoscope" echoscope)
		fi
		read -r at ap ag as am <<<"$a"
		read -r et ep eg _ _ <<<"$e"
		app+=("$at") apre+=("$ap") apage+=("$ag") ascript+=("$as") amount+=("$am") empty+=("$et") epre+=("$ep") epage+=("$eg")
	done
	local am em
	am=$(printf '%s\n' "${app[@]}" | median)
	em=$(printf '%s\n' "${empty[@]}" | median)
	printf '%-28s %8s ms  (empty window %s ms)\n' "before main, $name" "$(printf '%s\n' "${apre[@]}" | median)" "$(printf '%s\n' "${epre[@]}" | median)"
	printf '%-28s %8s ms  (empty window %s ms)\n' "page, $name" "$(printf '%s\n' "${apage[@]}" | median)" "$(printf '%s\n' "${epage[@]}" | median)"
	printf '%-28s %8s ms  (its script began at %s ms, the app was mounted at %s ms; medians)\n' "page, app's steps, $name" "$(printf '%s\n' "${apage[@]}" | median)" "$(printf '%s\n' "${ascript[@]}" | median)" "$(printf '%s\n' "${amount[@]}" | median)"
	printf '%-28s %8s ms  %s\n' "first paint, $name" "$am" "$(awk -v v="$am" 'BEGIN{print (v <= 1000) ? "MET" : "NOT MET"}') (goal <= 1000; raw: ${app[*]})"
	printf '%-28s %8s ms  (raw: %s)\n' "empty window, $name" "$em" "${empty[*]}"
	printf '%-28s %8s ms\n' "app's own share, $name" "$(awk -v a="$am" -v e="$em" 'BEGIN{print a - e}')"
}

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS launches each"
series "idle"
if command -v stress-ng >/dev/null; then
	stress-ng --cpu 2 --quiet >/dev/null 2>&1 &
	STRESS_PID=$!
	sleep 1
	series "stress-ng --cpu 2"
else
	echo "stress-ng not installed: the loaded series is left out (scripts/setup.sh installs it)"
fi
