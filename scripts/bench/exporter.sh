# shellcheck shell=bash
# Sourced by scripts/bench.sh (section "exporter"): echoscope-ping exporter pinging 1000
# loopback addresses (127.0.0.1 .. 127.0.3.232) once a second each, its CPU time against
# fping's doing the same (fping -l -p 1000: every target every 1000 ms), in the same run
# (issue 16), twice: at -i 1, the exporter's spacing (1 ms between any two requests), where
# fping falls behind (about 780 requests/s over 10 s here, 230/s over 70 s), and at -i 0,
# each round as one burst, where it keeps the rate. CPU per 1000 requests/s compares them.
# Needs from bench.sh: OUT, ESP.
#
# Each tool runs BENCH_EXPORTER_SECONDS (60) after a BENCH_EXPORTER_WARMUP (10 s) start;
# its CPU is utime + stime from /proc/PID/stat over that window, as a percentage of one
# core. The exporter is scraped every 15 s (Prometheus' usual interval) during the window,
# so the figure includes serving /metrics for 1000 targets. Rates: requests per second the
# tool actually sent (the exporter's echoscope_ping_sent_total summed over the window;
# fping's xmt counts over its whole run). Goal: the exporter at most 5 % of one core.

EXPORTER_SECONDS=${BENCH_EXPORTER_SECONDS:-60}
EXPORTER_WARMUP=${BENCH_EXPORTER_WARMUP:-10}

# cpu_ticks PID: utime + stime of PID in clock ticks (fields 14 and 15, after the comm).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# now_s: wall clock in seconds with nanoseconds.
now_s() { date +%s.%N; }

# rss_kb PID: resident set size in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# sent_total URL: the exporter's echoscope_ping_sent_total summed over its targets.
sent_total() { curl -fsS "$1" | awk '/^echoscope_ping_sent_total\{/ {s += $2} END {printf "%d", s}'; }

# cpu_window PID [URL]: sleeps the warm-up, then measures PID for EXPORTER_SECONDS
# (scraping URL every 15 s when given); prints "cpu_percent rss_kb sent_per_second
# rss_growth_kb": RSS at the end, requests per second from the exporter's own counter over
# the measured wall time (0 without URL), RSS growth over the window (bounded memory).
cpu_window() {
	local pid=$1 url=${2:-} tps t0 t1 w0 w1 s0=0 s1=0 left step r0
	tps=$(getconf CLK_TCK)
	sleep "$EXPORTER_WARMUP"
	[ -n "$url" ] && s0=$(sent_total "$url")
	t0=$(cpu_ticks "$pid"); w0=$(now_s); r0=$(rss_kb "$pid")
	left=$EXPORTER_SECONDS
	while [ "$left" -gt 0 ]; do
		step=$(( left < 15 ? left : 15 ))
		sleep "$step"
		left=$(( left - step ))
		[ -n "$url" ] && curl -fsS -o /dev/null "$url"
	done
	[ -n "$url" ] && s1=$(sent_total "$url")
	t1=$(cpu_ticks "$pid"); w1=$(now_s)
	awk -v a="$t0" -v b="$t1" -v w0="$w0" -v w1="$w1" -v tps="$tps" -v r="$(rss_kb "$pid")" -v s="$((s1 - s0))" -v r0="$r0" \
		'BEGIN { printf "%.2f %d %.0f %d\n", (b - a) / tps / (w1 - w0) * 100, r, s / (w1 - w0), r - r0 }'
}

# fping_run INTERVAL_MS: fping -l on the targets at -i INTERVAL_MS, measured as the
# exporter; prints "cpu_percent rss_kb sent_per_second".
fping_run() {
	local iv=$1 pid start end xmt cpu rss
	"$FPING" -l -q -p 1000 -i "$iv" -f "$EXPORTER_TARGETS" >/dev/null 2>"$OUT/exporter-fping-i$iv.txt" &
	pid=$!
	start=$(now_s)
	read -r cpu rss _ _ < <(cpu_window "$pid")
	kill -INT "$pid"; wait "$pid" 2>/dev/null || true
	end=$(now_s)
	# fping -q prints "HOST : xmt/rcv/%loss = 70/70/0%" per target when interrupted; the
	# rate is over its whole run, warm-up included.
	xmt=$(sed -n 's|.*xmt/rcv/%loss = \([0-9]*\)/.*|\1|p' "$OUT/exporter-fping-i$iv.txt" | awk '{s+=$1} END{print s+0}')
	echo "$cpu $rss $(awk -v x="$xmt" -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", x/(b-a)}')"
}

# exporter_row NAME CPU RSS_KB RATE: one line of the table.
exporter_row() {
	printf '%-34s %9s %8s %10s %16s\n' "$1" "$2 %" "$(( $3 / 1024 )) MB" "$4" \
		"$(awk -v c="$2" -v r="$4" 'BEGIN{ if (r == 0) print "-"; else printf "%.2f %%", c*1000/r }')"
}

exporter_bench() {
	local log="$OUT/exporter-log.txt" url="" pid ecpu erss erate egrow f0 f1
	EXPORTER_TARGETS="$OUT/exporter-targets.txt"
	for i in $(seq 1 1000); do echo "127.0.$((i / 256)).$((i % 256))"; done >"$EXPORTER_TARGETS"

	# Port 0: the kernel picks a free one; the log's first line names it.
	"$ESP" exporter --listen 127.0.0.1:0 --interval 1s --targets-file "$EXPORTER_TARGETS" 2>"$log" &
	pid=$!
	for _ in $(seq 100); do
		url=$(sed -n 's|.*address=\(http://[0-9.:]*/metrics\).*|\1|p' "$log")
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { echo "exporter: did not start; log:"; cat "$log"; kill "$pid"; return 1; }
	read -r ecpu erss erate egrow < <(cpu_window "$pid" "$url")
	curl -fsS "$url" >"$OUT/exporter-scrape.txt"
	kill "$pid"; wait "$pid" 2>/dev/null || true

	printf '%-34s %9s %8s %10s %16s\n' "exporter, 1000 targets at 1 s" "CPU" "RSS" "requests/s" "CPU per 1000/s"
	exporter_row "echoscope-ping exporter" "$ecpu" "$erss" "$erate"
	FPING=$(command -v fping || true)
	if [ -n "$FPING" ]; then
		# -i 1 spaces requests as the exporter does; -i 0 sends each round as one burst.
		f1=$(fping_run 1)
		f0=$(fping_run 0)
		# shellcheck disable=SC2086 # the words are the row's fields
		exporter_row "fping -l -p 1000 -i 1 (spread)" $f1
		# shellcheck disable=SC2086
		exporter_row "fping -l -p 1000 -i 0 (bursts)" $f0
	else
		echo "exporter: fping not installed (scripts/setup.sh installs it); no baseline"
	fi
	echo "goal: exporter <= 5 % of one core: $(awk -v e="$ecpu" 'BEGIN{print (e <= 5) ? "MET" : "NOT MET"}') ($ecpu %)"
	echo "exporter RSS growth over the window: ${egrow} kB (bounded: no per-packet state)"
	echo "(CPU: utime+stime over ${EXPORTER_SECONDS} s after ${EXPORTER_WARMUP} s, % of one core; the exporter was"
	echo " scraped every 15 s; log, last scrape and fping's summaries in $OUT/exporter-*.txt)"
}
