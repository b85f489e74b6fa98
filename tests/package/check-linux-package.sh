#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a Linux package with cpack from an already built tree (no compiling), checks its metadata and file list,
# and for the .deb unpacks it into a scratch root and runs the installed binaries against the system's Qt.
#   check-linux-package.sh deb|rpm BUILD_DIR VERSION
# Scratch files go to a temporary directory that is removed on exit, whatever happens. CPACK names the cpack to
# use (ctest passes the one of the CMake that configured the tree).
set -euo pipefail

kind=$1
build_dir=$2
version=$3
app_id=io.github.wsinspector.WSInspector

scratch=$(mktemp -d "${TMPDIR:-/tmp}/wsi-package-$kind.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

expected_files=(
    usr/bin/wsinspector
    usr/bin/wsinspector-cli
    usr/share/applications/$app_id.desktop
    usr/share/metainfo/$app_id.metainfo.xml
    usr/share/mime/packages/$app_id.xml
    usr/share/icons/hicolor/scalable/apps/$app_id.svg
    usr/share/doc/wsinspector/copyright
    usr/share/licenses/wsinspector/LICENSE
)
for size in 16 24 32 48 64 128 256 512; do
    expected_files+=("usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done

if [[ $kind == rpm ]] && ! command -v rpmbuild >/dev/null; then
    echo "FAIL: rpmbuild missing (Debian package rpm; ./dev.sh installs it)" >&2
    exit 1
fi

# --- Build the package -----------------------------------------------------------------------------------------
generator=${kind^^}
if ! "${CPACK:-cpack}" --config "$build_dir/CPackConfig.cmake" -G "$generator" -B "$scratch/out" \
    >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log" >&2
    echo "FAIL: cpack -G $generator" >&2
    exit 1
fi
shopt -s nullglob
packages=("$scratch"/out/*."$kind")
if ((${#packages[@]} != 1)); then
    cat "$scratch/cpack.log" >&2
    echo "FAIL: expected one .$kind, found ${#packages[@]}" >&2
    exit 1
fi
package=${packages[0]}
pass "built $(basename "$package")"

check_file_list() { # $1: the package's file list, one path a line, without a leading ./ or /
    local list=$1 f
    for f in "${expected_files[@]}"; do
        grep -qxF "$f" <<<"$list" || fail "$f is not in the package"
    done
    # Nothing from the build tree or a developer's prefix may leak into the package (rpmbuild adds build-id links).
    local unexpected
    unexpected=$(grep -v -e '^usr/bin/' -e '^usr/share/' -e '^usr/lib/\.build-id' <<<"$list" || true)
    [[ -z $unexpected ]] || fail "unexpected paths: $(head -5 <<<"$unexpected" | tr '\n' ' ')"
    pass "file list checked (${#expected_files[@]} expected files)"
}

if [[ $kind == rpm ]]; then
    [[ $(rpm -qp --qf '%{NAME} %{VERSION}' "$package" 2>/dev/null) == "wsinspector $version" ]] ||
        fail "name/version: $(rpm -qp --qf '%{NAME} %{VERSION}' "$package" 2>/dev/null)"
    requires=$(rpm -qp --requires "$package" 2>/dev/null)
    # rpmbuild's automatic requirements, by soname: one for each Qt library the binaries link.
    for lib in Core Gui Network WebSockets Widgets; do
        grep -q "^libQt6$lib\.so\.6()(64bit)" <<<"$requires" || fail "no automatic requirement on libQt6$lib.so.6"
    done
    check_file_list "$(rpm -qpl "$package" 2>/dev/null | sed 's|^/||')"
    # The directories the filesystem and icon theme packages own must not be claimed by ours.
    for dir in usr/share/applications usr/share/icons/hicolor usr/share/metainfo; do
        ! rpm -qpl "$package" 2>/dev/null | grep -qxF "/$dir" || fail "the package claims /$dir"
    done
    ((failures == 0)) && echo "rpm package test passed" || exit 1
    exit 0
fi

# --- .deb: metadata --------------------------------------------------------------------------------------------
field() { dpkg-deb -f "$package" "$1"; }
[[ $(field Package) == wsinspector ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version), expected $version"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture: $(field Architecture)"
[[ -n $(field Maintainer) && -n $(field Description) ]] || fail "no Maintainer or Description"
depends=$(field Depends)
echo "Depends: $depends"
# Computed by dpkg-shlibdeps: every Qt library package the binaries link, with a minimum version.
for pkg in libqt6core6 libqt6gui6 libqt6network6 libqt6websockets6 libqt6widgets6 libc6 zlib1g; do
    grep -qE "(^|, )$pkg \(>= [^)]+\)" <<<"$depends" || fail "Depends lacks a versioned $pkg"
done
# Every dependency must be satisfiable here, where the package was built: the installed-files run below
# depends on it. An alternative group (a | b) is satisfied by any member.
installed_provides=$(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' | sed -n 's/^ii *|//p')
IFS=',' read -ra groups <<<"$depends"
for group in "${groups[@]}"; do
    satisfied=0
    IFS='|' read -ra alternatives <<<"$group"
    for alternative in "${alternatives[@]}"; do
        name=$(awk '{print $1}' <<<"$alternative")
        dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' && satisfied=1
        # A virtual package (qt6-websockets-abi) is satisfied by an installed package that provides it.
        grep -qE "(^|, )$name( |,|$)" <<<"$installed_provides" && satisfied=1
    done
    ((satisfied)) || fail "dependency not installed on this machine: $group"
done
[[ $(field Recommends) == *qt6-wayland* ]] || fail "Recommends: $(field Recommends)"
pass "control fields checked"

check_file_list "$(dpkg-deb --fsys-tarfile "$package" | tar -t | sed -e 's|^\./||' -e '/\/$/d')"

# --- .deb: unpacked into a scratch root ------------------------------------------------------------------------
root=$scratch/root
dpkg -x "$package" "$root"

desktop=$root/usr/share/applications/$app_id.desktop
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "desktop-file-validate"
else
    fail "desktop-file-validate missing (Debian package desktop-file-utils)"
fi
grep -qx "Icon=$app_id" "$desktop" || fail "the desktop file's Icon is not $app_id"
grep -qx "Exec=wsinspector %U" "$desktop" || fail "the desktop file's Exec is not the installed binary"
grep -q '^MimeType=.*application/x-wsinspector-recording;' "$desktop" || fail "the desktop file lacks the MIME type"

metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
else
    fail "appstreamcli missing (Debian package appstream)"
fi
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo's release is not $version"
grep -q '<glob pattern="\*\.wsirec"/>' "$root/usr/share/mime/packages/$app_id.xml" || fail "no *.wsirec glob"
pass "desktop file, metainfo and MIME type checked"

for binary in wsinspector wsinspector-cli; do
    # The installed binaries resolve every library from the system: no RUNPATH into a build tree or any other
    # absolute place (qt_standard_project_setup's relative $ORIGIN entries are harmless).
    runpath=$(readelf -d "$root/usr/bin/$binary" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')
    if tr ':' '\n' <<<"$runpath" | grep -q '^/'; then
        fail "$binary has an absolute RUNPATH: $runpath"
    fi
    if ldd "$root/usr/bin/$binary" | grep -q 'not found'; then
        fail "$binary: $(ldd "$root/usr/bin/$binary" | grep 'not found' | tr '\n' ' ')"
    fi
done

# A private home and runtime dir: the app's settings must not touch the user's, and they go with the scratch dir.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/home/.config XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

output=$(timeout 30 "$root/usr/bin/wsinspector-cli" --version) || fail "wsinspector-cli --version exited $?"
[[ $output == "wsinspector-cli $version" ]] || fail "wsinspector-cli --version printed '$output'"
# --version needs no display: no DISPLAY, no WAYLAND_DISPLAY, no platform override.
output=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM timeout 30 "$root/usr/bin/wsinspector" --version) ||
    fail "wsinspector --version exited $?"
[[ $output == "WS Inspector $version" ]] || fail "wsinspector --version printed '$output'"
pass "--version: $version"

# The window on the offscreen platform, from the installed files and the system's Qt plugins: it opens its
# session on the built-in echo server and quits by itself.
status=0
QT_QPA_PLATFORM=offscreen timeout 60 "$root/usr/bin/wsinspector" --quit-after-ms 1500 >"$scratch/gui.log" 2>&1 ||
    status=$?
if ((status != 0)); then
    cat "$scratch/gui.log" >&2
    fail "offscreen start of the installed wsinspector exited $status"
else
    pass "offscreen start of the installed wsinspector"
fi

if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "deb package test passed"
