#!/usr/bin/env bash
# scripts/bench.sh import: the capture import's speed and memory (issue 10 point 10).
#
#   BenchmarkImportCapture  a synthetic pcap of ICMP echo only (every frame a row: the worst
#                           case) of BENCH_IMPORT_MB megabytes (1024), written to a temp dir,
#                           imported into a fresh store: MB/s, rows/s, peak heap and RSS
#   BenchmarkWriterStore    the store's own insert rate in the same run, as the baseline the
#                           import's rows/s is compared with (the import cannot store rows
#                           faster than the store takes them)
#   BenchmarkImportStoreRows the import's storing half alone (ns per row), built twice: with
#                           cgo (C SQLite, github.com/mattn/go-sqlite3, what the app uses)
#                           and without (modernc.org/sqlite, the CGO_ENABLED=0 builds)
# Goals: peak RSS < 200 MB for 1 GiB, >= 50 MB/s. Timings on a busy machine are
# provisional: compare the ratio to the baseline, not the absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${BENCH_IMPORT_MB:-1024}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/echoscope-bench-import.XXXXXX)}
mkdir -p "$OUT"
echo "== import of a ${MB} MB synthetic capture; raw output in $OUT"
ECHOSCOPE_BENCH_IMPORT_MB=$MB go test -p 1 -run='^$' -bench='^BenchmarkImportCapture$' \
	-benchtime=1x ./backend/history/ | tee "$OUT/import.txt"
# BenchmarkWriterStore at 1x measures one event; run it long enough to mean something.
go test -p 1 -run='^$' -bench='^BenchmarkWriterStore$' -benchtime=200000x ./backend/history/ | tee "$OUT/writer.txt"
# The two drivers' cost per stored row, in the same minutes (BENCH_IMPORT_ROWS rows each).
ROWS=${BENCH_IMPORT_ROWS:-400000}
go test -p 1 -run='^$' -bench='^BenchmarkImportStoreRows$' -benchtime=${ROWS}x -count=2 \
	./backend/history/ | tee "$OUT/store-c.txt"
CGO_ENABLED=0 go test -p 1 -run='^$' -bench='^BenchmarkImportStoreRows$' -benchtime=${ROWS}x -count=2 \
	./backend/history/ | tee "$OUT/store-purego.txt"
metric() { grep "^$1" "$2" | tr -s ' \t' '\n' | grep -B1 -x "$3" | head -1; }
mbs=$(metric BenchmarkImportCapture "$OUT/import.txt" MB/s)
rows=$(metric BenchmarkImportCapture "$OUT/import.txt" rows/s)
rss=$(metric BenchmarkImportCapture "$OUT/import.txt" peak-rss-MB)
heap=$(metric BenchmarkImportCapture "$OUT/import.txt" peak-heap-MB)
writer=$(metric BenchmarkWriterStore "$OUT/writer.txt" events/s)
nsrow() { grep '^BenchmarkImportStoreRows' "$1" | awk '{print $3}' | sort -n | head -1; }
c_ns=$(nsrow "$OUT/store-c.txt")
go_ns=$(nsrow "$OUT/store-purego.txt")
echo
printf '%-30s %s\n' "import speed" "$mbs MB/s $(awk -v v="$mbs" 'BEGIN{print (v >= 50) ? "MET" : "NOT MET"}') (goal >= 50)"
printf '%-30s %s\n' "import peak RSS" "$rss MB $(awk -v v="$rss" 'BEGIN{print (v < 200) ? "MET" : "NOT MET"}') (goal < 200; heap growth $heap MB)"
printf '%-30s %s\n' "rows/s against the store's" "$rows vs $writer events/s: $(awk -v a="$rows" -v b="$writer" 'BEGIN{printf "%.2f", a/b}')"
printf '%-30s %s\n' "store cost per row" "C SQLite $c_ns ns, modernc.org/sqlite $go_ns ns: $(awk -v a="$go_ns" -v b="$c_ns" 'BEGIN{printf "%.2f", a/b}')x"
