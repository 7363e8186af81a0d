#!/usr/bin/env bash
# make bench: echoscope-ping and iputils ping side by side, then the Go benchmarks.
#
#   scripts/bench.sh [SECTION...]   sections: rtt flood sweep exporter monitor gap ui lab soak go (default: all of them)
#
#   rtt          RTT median, 2000 packets at -i 0.002 each, medians of the per-packet "time=" lines
#   flood        -f -c 100000 -q, packets per second from wall time
#                (rtt and flood on 127.0.0.1 and across a veth test host, plain kernel echo)
#   sweep        1000 loopback addresses (127.0.0.1-127.0.3.232), one probe each, 1 ms apart:
#                echoscope-ping's fping mode against fping -a -r 0 -i 1 -g, wall time, paired
#                and pinned rounds (scripts/bench/sweep.sh). Goal (issue 16): wall <= fping's.
#   exporter     echoscope-ping exporter on the same 1000 addresses at 1 s each for
#                BENCH_EXPORTER_SECONDS (60), CPU (utime+stime) against fping -l -p 1000 at -i 1 and -i 0
#                (scripts/bench/exporter.sh). Goal (issue 16): <= 5 % of one core.
#   monitor      100 loopback targets (127.0.0.1-127.0.0.100) at 1 s each for BENCH_MONITOR_SECONDS
#                (600) through the app's service path (PingService.StartMonitor, store on disk, frame
#                feed drained as a page would; scripts/bench/monitorsoak): the largest gap between two
#                requests of one target (from the store) and the RSS growth after the first minute.
#                Goals (issue 16): gap <= interval + 50 ms, growth <= 20 MB. Then the same in the
#                window (frontend/e2e/bench-monitor.mjs; BENCH_MONITOR_WINDOW=0 skips it): the dev app
#                under Xvfb, MiniBrowser (WebKitWebDriver) showing the Monitor view of those targets,
#                in a network namespace of its own (unshare -n, as soak): requestAnimationFrame
#                deltas (median, p95, max), long tasks, the page's main-thread busy share, total
#                RSS (app + helper + WebKit processes) and the send gaps from the store. Goals:
#                the two above and UI frame median <= 16.7 ms.
#   gap          send regularity under load: a GUI-path session (PingService + the helper,
#                scripts/bench/guisession) and iputils ping side by side at -i 0.01 for
#                BENCH_GAP_SECONDS (60) while stress-ng --cpu NCPU runs, send times from a tshark
#                capture on the veth test host (scripts/bench/sendgaps); then the GUI path alone
#                at 1000/s for BENCH_GAP_QUIET_SECONDS (20) without load. Goals (issue 10):
#                echoscope's p99 and largest gap no worse than iputils', >= 990/s sent of 1000.
#   ui           UI stream: the ping view pinging 127.0.0.1 at -i 0.001 for BENCH_UI_SECONDS (60):
#                packets per second absorbed, webview frame time, delivery lag first vs last
#                third (frontend/e2e/bench-stream.mjs: dev-mode app under Xvfb, headless Chromium);
#                history scroll: a seeded 1,000,000-row session against a 1,000-row one, reopened
#                from History (frontend/e2e/bench-scroll.mjs)
#   lab          Packet Lab: one edit of a 1500-byte echo request in the static web lab, input event
#                to the end of the frame that shows it, and the CPU time of the page's main thread per
#                edit, in headless Chromium and in WebKitGTK's MiniBrowser (WebKitWebDriver), beside a
#                64-byte packet in the same run; goal (issue 15): median < 16 ms
#                (frontend/e2e/bench-lab.mjs)
#   soak         the live window's memory: the dev app in MiniBrowser (WebKitWebDriver) pinging at
#                100/s for BENCH_SOAK_SECONDS (600), RSS of the app + WebKit processes sampled every
#                10 s; goal: growth after the first minute <= 20 MB (frontend/e2e/soak-memory.mjs;
#                run in a network namespace of its own, so no other ping reaches its session)
#   go           go test -bench over backend/...
#
# Runs alternate (A B B A ...) so that a noisy neighbour hurts both tools alike, and each
# round pins both tools to one CPU (round r on CPU r mod nproc): see cpu_for_round.
# Goals (issue 3): RTT median within 2 us of iputils', flood rate at least iputils'.
# Outside the sections (not part of the default run):
#   import       scripts/bench.sh import: a 1 GiB capture imported, MB/s and peak RSS
#                (scripts/bench-import.sh; not part of the default run)
#   firstpaint   scripts/bench.sh firstpaint: process start to the first frame of the Ping view
#                with the Target focused, median of 10 launches under Xvfb, idle and beside
#                stress-ng --cpu 2, against an empty Wails window, with the ratio and the
#                breakdown (before main, main -> window, window -> page, the page's steps)
#                (scripts/bench-firstpaint.sh; BENCH_FIRSTPAINT_RUNS, BENCH_FIRSTPAINT_STRESS=0;
#                not part of the default run)
# Knobs: BENCH_RTT_COUNT (2000), BENCH_FLOOD_COUNT (100000), BENCH_ROUNDS (8, even),
#        BENCH_GO=0 to skip the Go benchmarks, BENCH_UI=0 to skip the UI stream and scrolling,
#        BENCH_LAB=0 to skip the Lab, BENCH_LAB_EDITS (101 per packet size and engine),
#        BENCH_SCROLL_ROWS (1000000), BENCH_SCROLL_ROUNDS (2), BENCH_GAP_SECONDS (60),
#        BENCH_GAP_QUIET_SECONDS (20), BENCH_SOAK_SECONDS (600), BENCH_SOAK_RATE (100),
#        BENCH_MONITOR_SECONDS (600), BENCH_MONITOR_TARGETS (100), BENCH_MONITOR_WINDOW=0 to skip the window part,
#        BENCH_FLOOD_PATHS=1 to also flood with each of the engine's two Linux paths forced,
#        BENCH_OUT (directory for the raw outputs).
set -euo pipefail
cd "$(dirname "$0")/.."

# Subcommands outside the sections: "scripts/bench.sh import" measures the capture import
# alone, "scripts/bench.sh firstpaint" the window's first paint.
case "${1:-}" in
import) exec scripts/bench-import.sh ;;
firstpaint) exec scripts/bench-firstpaint.sh ;;
esac
ALL_SECTIONS="rtt flood sweep exporter monitor gap ui lab soak go"
SECTIONS=${*:-$ALL_SECTIONS}
for sec in $SECTIONS; do
	case " $ALL_SECTIONS " in *" $sec "*) ;; *) echo "bench: unknown section \"$sec\" (sections: $ALL_SECTIONS)" >&2; exit 2 ;; esac
done
# wants SECTION: the section is to run (BENCH_UI=0 and BENCH_GO=0 still skip theirs).
wants() {
	[ "$1" = ui ] && [ "${BENCH_UI:-1}" = 0 ] && return 1
	[ "$1" = go ] && [ "${BENCH_GO:-1}" = 0 ] && return 1
	[ "$1" = lab ] && [ "${BENCH_LAB:-1}" = 0 ] && return 1
	case " $SECTIONS " in *" $1 "*) return 0 ;; esac
	return 1
}

RTT_COUNT=${BENCH_RTT_COUNT:-2000}
FLOOD_COUNT=${BENCH_FLOOD_COUNT:-100000}
ROUNDS=${BENCH_ROUNDS:-8}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/echoscope-bench.XXXXXX)}
mkdir -p "$OUT"

PING=$(command -v ping || true)
[ -n "$PING" ] || { echo "bench: iputils ping not found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: run as root (flood mode and test hosts need it)" >&2; exit 1; }

echo "== building echoscope-ping (CGO_ENABLED=0) into $OUT"
CGO_ENABLED=0 go build -o "$OUT/echoscope-ping" ./cmd/echoscope-ping
ESP="$OUT/echoscope-ping"
go build -o "$OUT/testhost" ./scripts/bench/testhost
if wants gap; then
	go build -o "$OUT/guisession" ./scripts/bench/guisession
	go build -o "$OUT/sendgaps" ./scripts/bench/sendgaps
fi

TESTHOST_PID=""
cleanup() {
	if [ -n "$TESTHOST_PID" ]; then
		kill "$TESTHOST_PID" 2>/dev/null || true
		wait "$TESTHOST_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
echo "== $("$PING" -V | head -1); $("$ESP" -V)"
echo "== raw outputs in $OUT"

# median_us FILE...: median of the "time=X ms" values, in microseconds (3 decimals).
median_us() {
	grep -ho 'time=[0-9.]* ms' "$@" | sed 's/time=//; s/ ms//' | sort -g |
		awk '{v[NR]=$1} END { if (NR==0) { print "nan"; exit }
			m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.1f", m*1000 }'
}

# count_replies FILE...: per-packet reply lines.
count_replies() { cat "$@" | grep -c 'time=' || true; }

# run_tool NAME PREFIX... -- ARGS: runs iputils ("ping") or echoscope ("esp") with a command
# prefix (for ip netns exec).
run_tool() {
	local tool=$1; shift
	local prefix=()
	while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
	shift
	local bin=$ESP
	[ "$tool" = ping ] && bin=$PING
	taskset -c "$CPU" "${prefix[@]}" "$bin" "$@"
}

# Each round runs both tools on one CPU, round r on CPU r mod NCPU: a run's speed here
# depends mostly on which CPU it lands on (on this VM one vCPU has been ~40% slower than
# the other for minutes at a time), so tools are only compared on the same CPU, close
# in time, and every tool gets the same number of runs on each CPU.
NCPU=$(nproc)
CPU=0
cpu_for_round() { CPU=$(( $1 % NCPU )); }

# median: the median of the numbers on stdin.
median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) { print "nan"; exit } print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

# order R: the tool order for round R, ABBA-style.
order() { if [ $(( ($1 / 1) % 4 )) = 0 ] || [ $(( $1 % 4 )) = 3 ]; then echo "ping esp"; else echo "esp ping"; fi; }

# rtt_bench LABEL TARGET PREFIX...: per-packet RTTs in ROUNDS chunks, alternating tools.
rtt_bench() {
	local label=$1 target=$2; shift 2
	local per=$(( RTT_COUNT / ROUNDS ))
	for r in $(seq 0 $((ROUNDS - 1))); do
		cpu_for_round "$r"
		for tool in $(order "$r"); do
			run_tool "$tool" "$@" -- -c "$per" -i 0.002 "$target" > "$OUT/rtt-$label-$tool-$r.txt"
		done
	done
	local pm em pn en
	pm=$(median_us "$OUT"/rtt-"$label"-ping-*.txt); em=$(median_us "$OUT"/rtt-"$label"-esp-*.txt)
	pn=$(count_replies "$OUT"/rtt-"$label"-ping-*.txt); en=$(count_replies "$OUT"/rtt-"$label"-esp-*.txt)
	local diff verdict
	diff=$(awk -v a="$em" -v b="$pm" 'BEGIN{printf "%+.1f", a-b}')
	verdict=$(awk -v a="$em" -v b="$pm" 'BEGIN{print (a-b <= 2.0) ? "MET" : "NOT MET"}')
	printf '%-22s %12s %12s %10s  %-26s %s\n' "$label RTT median" "${pm} us" "${em} us" \
		"$(awk -v a="$em" -v b="$pm" 'BEGIN{printf "%.2f", a/b}')" "diff $diff us (goal <= +2)" "$verdict ($pn/$en replies)"
}

# wall_ms CMD...: runs CMD (output to a file named by $WALL_OUT), prints milliseconds.
wall_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" > "$WALL_OUT" 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

# flood_bench LABEL TARGET PREFIX...: -f -c FLOOD_COUNT -q, ROUNDS alternating runs each,
# median packets per second from wall time. The ratio is the median of the rounds' own
# ratios (both tools on one CPU, one after the other), so that CPU speed, which differs
# between rounds, cancels out; the per-round ratios are listed after the table.
flood_bench() {
	local label=$1 target=$2; shift 2
	local pt=() et=() ratios=() ms pms ems
	for r in $(seq 0 $((ROUNDS - 1))); do
		cpu_for_round "$r"
		for tool in $(order "$r"); do
			WALL_OUT="$OUT/flood-$label-$tool-$r.txt"
			ms=$(wall_ms run_tool "$tool" "$@" -- -f -c "$FLOOD_COUNT" -q "$target")
			if [ "$tool" = ping ]; then pt+=("$ms"); pms=$ms; else et+=("$ms"); ems=$ms; fi
		done
		ratios+=("$(awk -v p="$pms" -v e="$ems" 'BEGIN{printf "%.3f", p/e}')")
		echo "round $r cpu $CPU: iputils $pms ms, echoscope $ems ms, ratio ${ratios[-1]}" >> "$OUT/flood-$label-rounds.txt"
	done
	local pmed emed prate erate ratio
	pmed=$(printf '%s\n' "${pt[@]}" | median)
	emed=$(printf '%s\n' "${et[@]}" | median)
	ratio=$(printf '%s\n' "${ratios[@]}" | median)
	prate=$(awk -v n="$FLOOD_COUNT" -v ms="$pmed" 'BEGIN{printf "%.0f", n/(ms/1000)}')
	erate=$(awk -v n="$FLOOD_COUNT" -v ms="$emed" 'BEGIN{printf "%.0f", n/(ms/1000)}')
	local lost
	lost=$(grep -h 'packets transmitted' "$OUT"/flood-"$label"-esp-*.txt | sed 's/.* received, //; s/, time.*//' | sort | uniq -c | tr -s ' ' | paste -sd';')
	printf '%-22s %12s %12s %10s  %-26s %s\n' "$label flood" "${prate}/s" "${erate}/s" \
		"$(awk -v r="$ratio" 'BEGIN{printf "%.2f", r}')" \
		"wall ${pmed} vs ${emed} ms" "$(awk -v r="$ratio" 'BEGIN{print (r>=1) ? "MET" : "NOT MET"}') (esp:${lost})"
	FLOOD_ROUNDS+=("$label: $(printf '%s ' "${ratios[@]}")")
}
FLOOD_ROUNDS=()

echo "== creating a veth test host (kernel echo)"
"$OUT/testhost" > "$OUT/testhost.json" &
TESTHOST_PID=$!
for _ in $(seq 50); do [ -s "$OUT/testhost.json" ] && break; sleep 0.1; done
[ -s "$OUT/testhost.json" ] || { echo "bench: test host did not come up" >&2; exit 1; }
CLIENT_NS=$(sed 's/.*"clientNamespace":"\([^"]*\)".*/\1/' "$OUT/testhost.json")
PEER4=$(sed 's/.*"peerV4":"\([^"]*\)".*/\1/' "$OUT/testhost.json")
LOCAL_IF=$(sed 's/.*"localInterface":"\([^"]*\)".*/\1/' "$OUT/testhost.json")
echo "   client namespace $CLIENT_NS, peer $PEER4, interface $LOCAL_IF"
# First packet across a fresh veth waits for ARP; warm both sides up.
ip netns exec "$CLIENT_NS" "$PING" -c 2 -i 0.2 -q "$PEER4" > /dev/null

if wants rtt || wants flood; then
	echo
	printf '%-22s %12s %12s %10s  %-26s %s\n' "test" "iputils" "echoscope" "ratio" "detail" "goal"
fi
if wants rtt; then
	rtt_bench "loopback" 127.0.0.1 env
	rtt_bench "veth" "$PEER4" ip netns exec "$CLIENT_NS"
fi
if wants flood; then
	flood_bench "loopback" 127.0.0.1 env
	flood_bench "veth" "$PEER4" ip netns exec "$CLIENT_NS"
	if [ "${BENCH_FLOOD_PATHS:-0}" = 1 ]; then
		# Each path forced, to check that the measured choice (backend/probe/flood_path.go)
		# is the faster one on this machine.
		flood_bench "loopback-ring" 127.0.0.1 env ECHOSCOPE_FORCE_IO_URING=1
		flood_bench "loopback-plain" 127.0.0.1 env ECHOSCOPE_NO_IO_URING=1
		flood_bench "veth-ring" "$PEER4" ip netns exec "$CLIENT_NS" env ECHOSCOPE_FORCE_IO_URING=1
		flood_bench "veth-plain" "$PEER4" ip netns exec "$CLIENT_NS" env ECHOSCOPE_NO_IO_URING=1
	fi
fi
if wants rtt || wants flood; then
	echo "(ratio = echoscope / iputils; RTT medians from per-packet lines; flood rates from wall time, median of $ROUNDS runs each;"
	echo " flood ratio = median of the rounds' paired ratios; round r runs both tools on CPU r mod $NCPU)"
	if [ ${#FLOOD_ROUNDS[@]} -gt 0 ]; then printf 'flood ratios per round: %s\n' "${FLOOD_ROUNDS[@]}"; fi
fi

if wants sweep; then
	echo
	. scripts/bench/sweep.sh
	sweep_bench
fi

if wants exporter; then
	echo
	. scripts/bench/exporter.sh
	exporter_bench
fi

if wants monitor; then
	echo
	echo "== monitor: ${BENCH_MONITOR_TARGETS:-100} loopback targets at 1 s for ${BENCH_MONITOR_SECONDS:-600} s through the service path (scripts/bench/monitorsoak)"
	go build -o "$OUT/monitorsoak" ./scripts/bench/monitorsoak
	"$OUT/monitorsoak" -targets "${BENCH_MONITOR_TARGETS:-100}" -seconds "${BENCH_MONITOR_SECONDS:-600}" -json "$OUT/monitor.json" 2>"$OUT/monitor-log.txt"
	if [ "${BENCH_MONITOR_WINDOW:-1}" != 0 ]; then
		echo
		[ -f frontend/dist/index.html ] || (cd frontend && npm run build > "$OUT/frontend-build.txt")
		echo "== load: $(uptime)"
		# In a network namespace of its own, as soak below (every ping to 127.0.0.x on the
		# host's loopback would reach the monitor's sockets).
		(cd frontend && BENCH_MONITOR_JSON="$OUT/monitor-window.json" BENCH_MONITOR_SECONDS="${BENCH_MONITOR_SECONDS:-600}" \
			BENCH_MONITOR_TARGETS="${BENCH_MONITOR_TARGETS:-100}" unshare -n sh -c 'ip link set lo up && exec node e2e/bench-monitor.mjs')
	fi
fi

if wants gap; then
	echo
	. scripts/bench/gap.sh
	gap_bench
fi

cleanup
TESTHOST_PID=""

if wants ui; then
	echo
	[ -f frontend/dist/index.html ] || (cd frontend && npm run build > "$OUT/frontend-build.txt")
	(cd frontend && BENCH_UI_JSON="$OUT/ui-stream.json" node e2e/bench-stream.mjs)
	echo
	(cd frontend && BENCH_SCROLL_JSON="$OUT/ui-scroll.json" node e2e/bench-scroll.mjs)
fi

if wants lab; then
	echo
	[ -f frontend/public/wire.wasm ] || (cd frontend && npm run build > "$OUT/frontend-build.txt")
	(cd frontend && BENCH_LAB_JSON="$OUT/lab.json" node e2e/bench-lab.mjs)
fi

if wants soak; then
	echo
	[ -f frontend/dist/index.html ] || (cd frontend && npm run build > "$OUT/frontend-build.txt")
	# In a network namespace of its own (unshare -n, loopback up): the session's raw socket
	# sees every ICMP message of its namespace, so on the host's loopback every other ping and
	# flood to 127.0.0.1 (other users', this bench's own flood section) became rows of the
	# soak's session: a run measured 8,000 rows/s at 100/s asked. The app, its helper,
	# MiniBrowser, WebKitWebDriver and their Xvfbs all run inside, so 127.0.0.1 is theirs alone.
	(cd frontend && BENCH_SOAK_JSON="$OUT/soak.json" BENCH_SOAK_SECONDS="${BENCH_SOAK_SECONDS:-600}" \
		BENCH_SOAK_RATE="${BENCH_SOAK_RATE:-100}" unshare -n sh -c 'ip link set lo up && exec node e2e/soak-memory.mjs')
fi

if wants go; then
	echo
	echo "== Go benchmarks: go test -run=^\$ -bench=. -benchmem ./backend/..."
	go test -p 1 -run='^$' -bench=. -benchmem ./backend/... 2>&1 | grep -E '^(Benchmark|ok|FAIL|---|goos|cpu|pkg)' || true
fi
