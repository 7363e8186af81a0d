#!/usr/bin/env bash
# Xvfb smoke test of the production binary: start build/bin/echoscope on a fresh virtual
# display, wait for its window, photograph the screen and check the picture is not blank.
# Usage: scripts/smoke-xvfb.sh [SCREENSHOT.png]   (default build/test-artifacts/smoke.png)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/bin/echoscope
shot=${1:-build/test-artifacts/smoke.png}
# A deadline for failing, not a speed assertion: a loaded machine may be slow to paint.
deadline_s=${SMOKE_DEADLINE:-90}

[ -x "$binary" ] || { echo "smoke: $binary is missing: run make build first" >&2; exit 1; }
mkdir -p "$(dirname "$shot")"
workdir=$(mktemp -d)
app_pid='' xvfb_pid=''
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT

# -displayfd lets Xvfb pick a free display number itself and tell us which.
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$workdir/display" 2>"$workdir/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do [ -s "$workdir/display" ] && break; sleep 0.1; done
[ -s "$workdir/display" ] || { echo "smoke: Xvfb did not start" >&2; cat "$workdir/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$workdir/display")"
echo "smoke: Xvfb on $DISPLAY"

# WebKitGTK's DMA-BUF renderer needs a GPU that Xvfb does not have.
WEBKIT_DISABLE_DMABUF_RENDERER=1 "$binary" >"$workdir/app.log" 2>&1 &
app_pid=$!

started=$SECONDS
window=''
while [ -z "$window" ]; do
  kill -0 "$app_pid" 2>/dev/null || { echo "smoke: echoscope exited early" >&2; cat "$workdir/app.log" >&2; exit 1; }
  window=$(xdotool search --onlyvisible --name '^Echoscope$' 2>/dev/null | head -n1 || true)
  [ $((SECONDS - started)) -lt "$deadline_s" ] || { echo "smoke: no Echoscope window after ${deadline_s}s" >&2; cat "$workdir/app.log" >&2; exit 1; }
  [ -n "$window" ] || sleep 0.5
done
echo "smoke: window $window is up: $(xdotool getwindowname "$window") $(xdotool getwindowgeometry "$window" | tr '\n' ' ')"

# The window maps before the page paints: photograph until the picture has real content.
# "Content" = many distinct colours and visible contrast; a blank or single-colour window has neither.
while :; do
  import -window "$window" "$shot"
  colours=$(convert "$shot" -format '%k' info:)
  spread=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  if [ "$colours" -ge 64 ] && awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }'; then break; fi
  if [ $((SECONDS - started)) -ge "$deadline_s" ]; then
    echo "smoke: screenshot still blank after ${deadline_s}s ($colours colours, spread $spread)" >&2
    cat "$workdir/app.log" >&2
    exit 1
  fi
  sleep 1
done
echo "smoke: ok: $shot has $colours colours, grey spread $spread"
