#!/usr/bin/env bash
# Renders the README's screenshots of the main window (light and dark) with real traffic from the built-in echo
# server, into docs/screenshots/. Offscreen: no display needed.
#   docs/render-screenshots.sh [BUILD_DIR]      (default: build/dev, configured with the dev preset if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
[[ -f $build/CMakeCache.txt ]] || cmake --preset dev
cmake --build "$build" --target wsi_screenshots
QT_QPA_PLATFORM=offscreen "$build/tests/screenshots/wsi_screenshots" docs/screenshots
