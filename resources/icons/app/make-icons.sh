#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the application icon's PNG sizes (hicolor), the Windows .ico and the macOS .icns from the SVG.
# The outputs are committed, so a build never needs these tools; run this after changing the SVG.
# Tools (Debian packages, deliberately not in dev.sh's list since only this script uses them):
#   librsvg2-bin (rsvg-convert), imagemagick (convert), icnsutils (png2icns).
set -euo pipefail
cd "$(dirname "$0")"

id=io.github.wsinspector.WSInspector
svg=$id.svg
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$svg" -o "$scratch/$size.png"
    # Drop timestamps and other chunks so that regenerating an unchanged SVG changes no committed byte.
    convert "$scratch/$size.png" -strip "PNG32:hicolor/${size}x${size}/apps/$id.png"
done

# Windows picks the nearest size per DPI; 256 is stored PNG-compressed inside the .ico.
convert hicolor/{16x16,24x24,32x32,48x48,64x64,256x256}/apps/$id.png wsinspector.ico
# png2icns takes the sizes it knows (16, 32, 48, 128, 256, 512) and names their icns types itself.
png2icns wsinspector.icns hicolor/{16x16,32x32,48x48,128x128,256x256,512x512}/apps/$id.png >/dev/null
echo "icons regenerated in $(pwd)"
