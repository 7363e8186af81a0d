#!/usr/bin/env bash
# Renders build/appicon.svg (the radar-and-echo motif) to build/appicon.png, 1024x1024 with a
# transparent background. Wails derives the Windows .ico and the macOS .icns from that PNG.
# Chromium renders the SVG because ImageMagick's built-in SVG renderer gets arcs wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" --hide-scrollbars \
  --default-background-color=00000000 --window-size=1024,1024 \
  --screenshot="$PWD/build/appicon.png" "file://$PWD/build/appicon.svg" 2>/dev/null
identify build/appicon.png
