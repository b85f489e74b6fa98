#!/usr/bin/env bash
# Renders the README's screenshots of the main window (light, dark and high contrast) with real traffic from the
# built-in echo server, into docs/screenshots/. Offscreen: no display needed.
#   docs/render-screenshots.sh [BUILD_DIR]      (default: build/dev, configured with the dev preset if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
[[ -f $build/CMakeCache.txt ]] || cmake --preset dev
cmake --build "$build" --target wsi_screenshots
QT_QPA_PLATFORM=offscreen "$build/tests/screenshots/wsi_screenshots" docs/screenshots
# 256 colours are plenty for a window and a quarter of the bytes (Debian: pngquant); skipped where it is missing.
if command -v pngquant >/dev/null; then
    status=0
    pngquant --skip-if-larger --strip --force --ext .png --quality 70-95 docs/screenshots/*.png || status=$?
    (( status == 0 || status == 98 || status == 99 )) # 98, 99: a file left as it was (no smaller, or too lossy)
fi
