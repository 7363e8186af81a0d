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
# prints "first paint unix_ms=..." on stderr at once (backend/service/firstpaint.go). First
# paint = that wall-clock time minus the time this script launched the process (date +%s%3N
# just before the launch). The line also says what had focus, and the run fails unless it is
# the Target field (ping-target).
# BENCH_FIRSTPAINT_RUNS launches (10) of each, alternating (A B B A ...), on one Xvfb kept
# for the whole run, each with a fresh ECHOSCOPE_DATA_DIR (the history database is created
# and migrated at first use, as on a first start); then the same with stress-ng --cpu 2
# running beside them (BENCH_FIRSTPAINT_STRESS=0 leaves that series out). Medians, the ratio
# to the empty window and every raw total are printed, with the breakdown of each launch
# (medians of each step, so they need not add up exactly to the median total):
#   before main        exec, dynamic linking of GTK/WebKitGTK, Go runtime and package init
#   main -> window     Go's main to the GTK window and its WebKit view created (OnStartup)
#   window -> page     the window shown, WebKit's web process started, navigation begun
#                      (the page's performance.timeOrigin)
#   page -> 1st frame  the page's performance.now() at its first paint, itself split into:
#     script           HTML and bundle fetched, parsed, the first frame's imports evaluated
#     mount            Svelte's mount() of the shell and the Ping view
#     effects          the components' onMount callbacks
#     wait for frame   until WebKit begins the first frame (requestAnimationFrame)
#     style+paint      style, layout and paint of that frame, until the next task
#   report             the event's trip from the page to Go (the rest of the total)
# Raw lines: $OUT/<series>.<app|empty>.tsv, one launch a line, the columns in that order.
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

# field LINE NAME: the number after NAME= in the trace line.
field() { sed -n "s/.* $2=\(-\{0,1\}[0-9]*\).*/\1/p" <<<"$1"; }

# launch BIN LABEL: one launch; prints its figures in ms: total, before main, main -> window,
# window -> page, page -> first frame, script, mount, effects, wait for frame, style+paint,
# report.
launch() {
	local bin=$1 label=$2 data err start pid line at focus main win nav page script mounted effects frame
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
	focus=$(sed -n 's/.* focus=\([^ ]*\).*/\1/p' <<<"$line")
	if [ "$label" = echoscope ] && [ "$focus" != ping-target ]; then
		echo "bench firstpaint: the first frame had $focus focused, not the Target field" >&2
		exit 1
	fi
	at=$(($(field "$line" unix_ms) - start))
	main=$(field "$line" since_main_ms)
	win=$(field "$line" window_ms)
	nav=$(field "$line" nav_ms)
	page=$(field "$line" page_ms)
	script=$(field "$line" script_ms)
	mounted=$(field "$line" mounted_ms)
	effects=$(field "$line" effects_ms)
	frame=$(field "$line" frame_ms)
	[ "$nav" -ge 0 ] || { echo "bench firstpaint: $label did not say when its page's navigation began: $line" >&2; exit 1; }
	echo "$at $((at - main)) $win $((nav - win)) $page $script $((mounted - script)) $((effects - mounted)) $((frame - effects)) $((page - frame)) $((main - nav - page))"
}

median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) { print "nan"; exit } print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }
# column FILE N: the median of column N of FILE.
column_median() { awk -v c="$2" '{print $c}' "$1" | median; }

# series NAME: RUNS launches of each binary, alternating; prints the medians, the breakdown
# and the raw totals.
series() {
	local name=$1 tag r a e am em i
	tag=$(tr -c 'a-z0-9\n' '-' <<<"$name")
	local at="$OUT/$tag.app.tsv" et="$OUT/$tag.empty.tsv"
	: >"$at"
	: >"$et"
	for r in $(seq 0 $((RUNS - 1))); do
		if [ $((r % 4)) = 0 ] || [ $((r % 4)) = 3 ]; then
			a=$(launch "$OUT/echoscope" echoscope)
			e=$(launch "$OUT/emptywindow" empty)
		else
			e=$(launch "$OUT/emptywindow" empty)
			a=$(launch "$OUT/echoscope" echoscope)
		fi
		echo "$a" >>"$at"
		echo "$e" >>"$et"
	done
	am=$(column_median "$at" 1)
	em=$(column_median "$et" 1)
	echo "-- $name (load now $(cut -d' ' -f1-3 /proc/loadavg))"
	printf '%-30s %8s ms  %s\n' "first paint" "$am" "$(awk -v v="$am" 'BEGIN{print (v <= 1000) ? "MET" : "NOT MET"}') (goal <= 1000; raw: $(awk '{printf "%s ", $1}' "$at"))"
	printf '%-30s %8s ms  (raw: %s)\n' "empty window" "$em" "$(awk '{printf "%s ", $1}' "$et")"
	printf '%-30s %8s ms  (ratio %s)\n' "app's own share" "$(awk -v a="$am" -v e="$em" 'BEGIN{print a - e}')" "$(awk -v a="$am" -v e="$em" 'BEGIN{printf "%.2f", a / e}')"
	printf '%-30s %10s %10s\n' "breakdown (medians, ms)" "echoscope" "empty"
	local names=("before main" "main -> window" "window -> page" "page -> first frame" "  script" "  mount" "  effects" "  wait for frame" "  style+paint" "report")
	for i in "${!names[@]}"; do
		printf '%-30s %10s %10s\n' "${names[$i]}" "$(column_median "$at" $((i + 2)))" "$(column_median "$et" $((i + 2)))"
	done
}

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS launches each"
series "idle"
if [ "${BENCH_FIRSTPAINT_STRESS:-1}" = 0 ]; then
	echo "BENCH_FIRSTPAINT_STRESS=0: the series beside stress-ng --cpu 2 is left out"
elif command -v stress-ng >/dev/null; then
	stress-ng --cpu 2 --quiet >/dev/null 2>&1 &
	STRESS_PID=$!
	sleep 1
	series "stress-ng --cpu 2"
else
	echo "stress-ng not installed: the loaded series is left out (scripts/setup.sh installs it)"
fi
