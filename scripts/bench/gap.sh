# Sourced by scripts/bench.sh (section "gap"): send regularity of the GUI path under load.
# Needs from bench.sh: OUT, ESP, PING, CLIENT_NS, PEER4, LOCAL_IF, NCPU, and the guisession
# and sendgaps programs built into $OUT.
#
# The send times are the wire's: tshark captures the echo requests on the client side of the
# veth test host, so neither tool's own clock or reporting is trusted. Both tools run at the
# same time against the same host, so the load hits them alike.

GAP_SECONDS=${BENCH_GAP_SECONDS:-60}
GAP_QUIET_SECONDS=${BENCH_GAP_QUIET_SECONDS:-20}

# gap_capture_start FILE: tshark on the test host's client interface, echo requests only;
# returns once it captures (it says so on stderr).
gap_capture_start() {
	local file=$1
	ip netns exec "$CLIENT_NS" tshark -q -i "$LOCAL_IF" -B 16 -f 'icmp[0] == 8' -w "$file" 2> "$file.log" &
	GAP_TSHARK=$!
	for _ in $(seq 100); do grep -q 'Capturing on' "$file.log" 2>/dev/null && return 0; sleep 0.1; done
	echo "bench: tshark did not start: $(cat "$file.log")" >&2
	return 1
}

# gap_capture_stop: tshark writes out what it has and ends.
gap_capture_stop() {
	sleep 1 # the last requests reach the capture
	kill -INT "$GAP_TSHARK" 2>/dev/null || true
	wait "$GAP_TSHARK" 2>/dev/null || true
}

# gap_fields FILE: "epoch identifier" per captured request.
gap_fields() { tshark -r "$1" -T fields -e frame.time_epoch -e icmp.ident 2>/dev/null; }

# gap_ident JSON: the identifier guisession saw on its first request.
gap_ident() { sed 's/.*"identifier":\([0-9]*\).*/\1/' "$1"; }

gap_bench() {
	echo "== send gaps under load: GUI path (PingService + helper) and iputils at -i 0.01 for ${GAP_SECONDS} s, stress-ng --cpu $NCPU"
	gap_capture_start "$OUT/gap-loaded.pcapng"
	stress-ng --cpu "$NCPU" --timeout "$((GAP_SECONDS + 15))s" > "$OUT/gap-stress.txt" 2>&1 &
	local stress=$!
	sleep 2 # the load is on before either tool starts
	ip netns exec "$CLIENT_NS" "$PING" -i 0.01 -w "$GAP_SECONDS" -q "$PEER4" > "$OUT/gap-ping.txt" 2>&1 &
	local ping=$!
	ip netns exec "$CLIENT_NS" "$OUT/guisession" -helper "$ESP" -target "$PEER4" -interval 10ms \
		-duration "${GAP_SECONDS}s" > "$OUT/gap-gui.json" 2> "$OUT/gap-gui.err" || {
		echo "bench: guisession failed: $(cat "$OUT/gap-gui.err")" >&2
	}
	wait "$ping" || true
	kill "$stress" 2>/dev/null || true
	wait "$stress" 2>/dev/null || true
	gap_capture_stop
	gap_fields "$OUT/gap-loaded.pcapng" > "$OUT/gap-loaded.txt"
	"$OUT/sendgaps" -echoscope-id "$(gap_ident "$OUT/gap-gui.json")" -json "$OUT/gap-loaded.json" < "$OUT/gap-loaded.txt" |
		tee "$OUT/gap-loaded-table.txt"
	echo "   echoscope's own count: $(grep -o '"sendsLate":[0-9]*' "$OUT/gap-gui.json"), $(grep -o '"sendLateMaxMs":[0-9.e+-]*' "$OUT/gap-gui.json"), $(grep -o '"eventsDropped":[0-9]*' "$OUT/gap-gui.json")"

	echo "== send rate on a quiet machine: GUI path alone, 1000/s asked, ${GAP_QUIET_SECONDS} s"
	gap_capture_start "$OUT/gap-quiet.pcapng"
	ip netns exec "$CLIENT_NS" "$OUT/guisession" -helper "$ESP" -target "$PEER4" -interval 1ms \
		-duration "${GAP_QUIET_SECONDS}s" > "$OUT/gap-quiet-gui.json" 2> "$OUT/gap-quiet-gui.err" || {
		echo "bench: guisession failed: $(cat "$OUT/gap-quiet-gui.err")" >&2
	}
	gap_capture_stop
	gap_fields "$OUT/gap-quiet.pcapng" > "$OUT/gap-quiet.txt"
	"$OUT/sendgaps" -echoscope-id "$(gap_ident "$OUT/gap-quiet-gui.json")" -min-rate 990 -json "$OUT/gap-quiet.json" \
		< "$OUT/gap-quiet.txt" | tee "$OUT/gap-quiet-table.txt"
	echo "   echoscope's own count: $(grep -o '"sendsLate":[0-9]*' "$OUT/gap-quiet-gui.json"), $(grep -o '"eventsDropped":[0-9]*' "$OUT/gap-quiet-gui.json")"
}
