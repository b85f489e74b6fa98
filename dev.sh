#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The two README commands: `./dev.sh run` (install what is missing, build, start the app) and
# `./dev.sh test` (install what is missing, build, run every test). Debian 12 / Ubuntu 24.04.
set -euo pipefail
cd "$(dirname "$0")"

# Everything the build and the test suite need, by Debian package name.
packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-websockets-dev qt6-svg-dev qt6-qpa-plugins zlib1g-dev
    libpcre2-dev   # regex filters on payload bytes (ui/Utf8Regex)
    libssl-dev   # the capture proxy's TLS interception (core/proxy: CaptureAuthority, TlsStream)
    libqt6sql6-sqlite   # recordings: Qt SQL's SQLite driver (core/capture/RecordingWriter)
    libmsgpack-dev   # MessagePack payload views (core/appprotocol/MessagePackView, msgpack-c)
    libprotobuf-dev libprotoc-dev   # .proto files read at run time (core/appprotocol/ProtobufSchema)
    protobuf-compiler   # tests: protoc --encode makes the protobuf payloads the schema view is tested on
    libsqlite3-dev   # recordings: the writer's VFS registers with the SQLite that driver loads (WriteCoalescingVfs)
    qtkeychain-qt6-dev   # profile secrets in the OS keychain (core/profiles/SecretStore)
    gnome-keyring libsecret-1-0 dbus-daemon   # tests/unit/tst_secretstore: a real keychain in a private D-Bus session
    libbenchmark-dev clang libclang-rt-14-dev
    python3-websockets nodejs node-ws tinyproxy microsocks openssl
    curl chromium   # tests/integration/tst_capture: clients of the capture proxy (and npm, below)
    nginx-light haproxy   # tests/integration/tst_truth: the nginx and HAProxy models against the real ones
    rabbitmq-server   # tests/integration/tst_appprotocol_stomp: a real STOMP broker (its Web-STOMP plugin), run by
                      # the test as a private node on its own ports and epmd (RealRabbitMq), so the system broker
                      # this package starts under systemd is neither needed nor disturbed
    tshark libnss3-tools   # tests/integration/tst_tlsstream: curl, node and Chromium (the CA in its NSS store by
                           # certutil) through the TLS interception; tshark decrypts with the key log
    file rpm desktop-file-utils appstream   # cpack DEB/RPM (file: for dpkg-shlibdeps) and tests/package
)

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    # npm for tests/integration/node (npm ci): Debian's package only where no npm came with Node.js itself (a
    # NodeSource nodejs carries its own npm and conflicts with Debian's).
    command -v npm >/dev/null || missing+=(npm)
    ((${#missing[@]} == 0)) && return 0
    echo "Installing: ${missing[*]}"
    as_root apt-get update -q
    # Package scripts start their services (nginx, HAProxy, RabbitMQ ...) through invoke-rc.d unless a policy-rc.d
    # denies it. The tests start their own, on 127.0.0.1 and ports of their own; in a container (PID 1 is not systemd)
    # nothing else wants them, and rabbitmq-server's init script would start a system broker and wait up to 10 min
    # for it. There the install runs with a policy-rc.d that denies starts, removed afterwards.
    local policy=/usr/sbin/policy-rc.d added=
    if [[ $(cat /proc/1/comm 2>/dev/null) != systemd && ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
        as_root chmod 755 "$policy"
        added=1
    fi
    local status=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
    [[ -z $added ]] || as_root rm -f "$policy"
    return "$status"
}

# npm packages the tests run (tests/integration/node/package.json, pinned by its package-lock.json): installed with
# `npm ci` when node_modules is missing or was installed from another lock file.
install_node_modules() {
    local dir=tests/integration/node
    if [[ -f $dir/node_modules/.installed-lock.json ]] && cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock.json"; then
        return 0
    fi
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
    cp "$dir/package-lock.json" "$dir/node_modules/.installed-lock.json"
}

jobs=$(nproc)

case "${1:-}" in
run)
    install_missing
    cmake --preset dev >/dev/null
    cmake --build --preset dev -j "$jobs" --target wsinspector wsinspector-cli
    shift
    exec build/dev/app/wsinspector "$@"
    ;;
test)
    install_missing
    install_node_modules
    status=0
    # libFuzzer targets (clang): each runs for a bounded time as a ctest test.
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$jobs"
    ctest --preset fuzz -j "$jobs" || status=1
    # The whole suite (gcc, warnings as errors): unit tests and benchmark smoke runs.
    cmake --preset ci >/dev/null
    cmake --build --preset ci -j "$jobs"
    ctest --preset ci -j "$jobs" || status=1
    exit "$status"
    ;;
*)
    echo "usage: $0 run [URL] | test" >&2
    exit 2
    ;;
esac
