# Sourced by scripts/bench.sh (section "sweep"): a 1000-address sweep, echoscope-ping's fping
# mode against Debian's fping 5.1 (issue 16). Needs from bench.sh: OUT, ESP, ROUNDS, order,
# cpu_for_round, CPU, median, wall_ms.
#
# Both run the issue's command line, one probe each to 127.0.0.1 .. 127.0.3.232 with 1 ms
# between any two requests (fping -i 1; echoscope-ping spreads the 1000 targets over 1 s,
# the same spacing), answered by the kernel's loopback. Rounds alternate the tools (ABBA)
# and pin both to one CPU, as the flood section does; the ratio is the median of the rounds'
# paired ratios fping wall / echoscope wall, so above 1 means echoscope-ping was faster.
# Goal: echoscope-ping's wall time no more than fping's (ratio >= 1).

SWEEP_ARGS=(-a -r 0 -i 1 -g 127.0.0.1 127.0.3.232)

sweep_bench() {
	local fping
	fping=$(command -v fping || true)
	if [ -z "$fping" ]; then
		echo "sweep: fping not installed (scripts/setup.sh installs it); skipped"
		return 0
	fi
	local ft=() et=() ratios=() fa=() ea=() ms fms ems bin
	for r in $(seq 0 $((ROUNDS - 1))); do
		cpu_for_round "$r"
		for tool in $(order "$r"); do
			bin=$ESP
			[ "$tool" = ping ] && bin=$fping
			WALL_OUT="$OUT/sweep-$tool-$r.txt"
			# -a prints one line per alive target; a sweep that misses some still ends, so
			# its exit status (1) is not a failure of the bench.
			ms=$(wall_ms taskset -c "$CPU" "$bin" "${SWEEP_ARGS[@]}" || true)
			alive=$(grep -c '^127\.' "$WALL_OUT" || true)
			if [ "$tool" = ping ]; then ft+=("$ms"); fms=$ms; fa+=("$alive"); else et+=("$ms"); ems=$ms; ea+=("$alive"); fi
		done
		ratios+=("$(awk -v f="$fms" -v e="$ems" 'BEGIN{printf "%.3f", f/e}')")
		echo "round $r cpu $CPU: fping $fms ms (${fa[-1]} alive), echoscope $ems ms (${ea[-1]} alive), ratio ${ratios[-1]}" >> "$OUT/sweep-rounds.txt"
	done
	local fmed emed ratio
	fmed=$(printf '%s\n' "${ft[@]}" | median)
	emed=$(printf '%s\n' "${et[@]}" | median)
	ratio=$(printf '%s\n' "${ratios[@]}" | median)
	printf '%-22s %12s %12s %10s  %-26s %s\n' "test" "fping" "echoscope" "ratio" "detail" "goal"
	printf '%-22s %12s %12s %10s  %-26s %s\n' "sweep 1000 loopback" "${fmed} ms" "${emed} ms" \
		"$(awk -v r="$ratio" 'BEGIN{printf "%.2f", r}')" \
		"alive $(printf '%s\n' "${fa[@]}" | median) vs $(printf '%s\n' "${ea[@]}" | median)" \
		"$(awk -v r="$ratio" 'BEGIN{print (r>=1) ? "MET" : "NOT MET"}') (wall <= fping's)"
	echo "(wall times: median of $ROUNDS runs each; ratio = median of the rounds' paired fping/echoscope ratios;"
	echo " alive: median count of -a lines; per round: $OUT/sweep-rounds.txt)"
}
