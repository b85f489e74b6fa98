#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Linux packages from a Release build of the executables (the `package` presets) and checks them with
# the same script the `package` ctest label runs:
#   build/package/wsinspector_<version>_<arch>.deb, wsinspector-<version>-1.<arch>.rpm,
#   build/package/wsinspector-<version>-Linux.tar.gz
# Needs what `./dev.sh test` installs (dpkg-dev for dpkg-shlibdeps, rpm for rpmbuild, desktop-file-utils,
# appstream). JOBS=<n> bounds the build's parallelism (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset package >/dev/null
cmake --build --preset package -j "${JOBS:-$(nproc)}"
cpack --preset package

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' build/package/CPackConfig.cmake)
tests/package/check-linux-package.sh deb build/package "$version"
tests/package/check-linux-package.sh rpm build/package "$version"
ls -l build/package/*.deb build/package/*.rpm build/package/*.tar.gz
