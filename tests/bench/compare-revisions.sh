#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark on an earlier revision and on the working tree, alternating the two builds in one sitting, so
# that a change is compared with what came before it on the same machine at the same time (docs/performance.md).
#
#   tests/bench/compare-revisions.sh REV [ENGINE_RUNS] [OTHER_RUNS]
#
# REV is built in a git worktree under build/compare/ (Release), the working tree in build/release. Results go to
# build/compare/results/<engine-SIZE|ui|recording|keepalive|protocol>-<before|after>-<run>.txt; a summary of the main figures is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:?usage: $0 REV [ENGINE_RUNS] [OTHER_RUNS]}
engine_runs=${2:-5}
other_runs=${3:-3}
jobs=$(nproc)
targets=(wsi_bench_engine wsi_bench_ui wsi_bench_recording wsi_bench_keepalive wsi_bench_protocol)

before_tree=build/compare/tree
rm -rf "$before_tree"
git worktree prune
git worktree add --detach --force "$before_tree" "$rev" >/dev/null
trap 'git worktree remove --force "$before_tree" >/dev/null 2>&1 || true' EXIT
(cd "$before_tree" && cmake --preset release >/dev/null && cmake --build --preset release -j "$jobs" --target "${targets[@]}")
cmake --preset release >/dev/null && cmake --build --preset release -j "$jobs" --target "${targets[@]}"

before=$before_tree/build/release/tests/bench
after=build/release/tests/bench
out=build/compare/results
rm -rf "$out" && mkdir -p "$out"
run() { # name side run-number benchmark args...
    local name=$1 side=$2 n=$3 bench=$4; shift 4
    local dir=$before; [[ $side == after ]] && dir=$after
    QT_QPA_PLATFORM=offscreen "$dir/$bench" "$@" >"$out/$name-$side-$n.txt" 2>&1
}
for ((i = 1; i <= engine_runs; ++i)); do
    for size in 16B 1KiB 1MiB; do
        for side in before after; do run "engine-$size" "$side" "$i" wsi_bench_engine --case "$size" --rounds 5; done
    done
done
for ((i = 1; i <= other_runs; ++i)); do
    for side in before after; do
        run ui "$side" "$i" wsi_bench_ui
        run recording "$side" "$i" wsi_bench_recording
        run keepalive "$side" "$i" wsi_bench_keepalive
    done
done
for side in before after; do run protocol "$side" 1 wsi_bench_protocol --benchmark_min_time=0.2; done

values() { grep -h "^$1" "$out"/$2 | awk '{print $2}' | sort -g | tr '\n' ' '; }
for size in 16B 1KiB 1MiB; do
    for side in before after; do
        echo "engine $size $side: session frames/s $(values "session_${size}_frames_per_s" "engine-$size-$side-*")| vs QWebSocket $(values "ratio_${size}_session_vs_qwebsocket:" "engine-$size-$side-*")"
    done
done
for measure in ingest: ingest_stall_p99 ingest_stall_max memory_per_frame filter_substring_time filter_regex_time timeline_repaint: table_repaint; do
    for side in before after; do echo "window $measure $side: $(values "$measure" "ui-$side-*")"; done
done
for side in before after; do
    echo "recording $side: $(values recording_frames_per_s "recording-$side-*")"
    echo "keepalive $side: $(values keepalive_sim_1h_ping_1s_3_models: "keepalive-$side-*")"
done
