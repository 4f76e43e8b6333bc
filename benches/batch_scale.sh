#!/usr/bin/env bash
# `sfbtriage batch` on many bundles against the single-bundle rate, measured in the same run.
#
#   benches/batch_scale.sh [COUNT]      (default 10000; also run by `BATCH=10000 benches/compare.sh`;
#                                        needs python3 and GNU time)
#
# Generates COUNT bundles with benches/make_batch.py (the samples/ zips, each with its user
# renamed) and the first 1,000 of them separately, then prints (best of 3 runs; wall-clock time and CPU time, which stays steady on a busy machine):
#   single-bundle rate        `analyze --threads 1`, one process per bundle, on the first 100
#                             bundles; also with the start-up (analyze of an empty file, same
#                             loop) taken off, which is the analysis work alone
#   batch --threads 1         on 1,000 and on COUNT bundles: bundles/s, MB/s, peak RSS
#   batch (every core)        on COUNT bundles
# and the ratios:
#   batch / single-bundle     throughput per core, target >= 0.9 (against both baselines)
#   COUNT / 1,000 bundles     throughput (target >= 0.9) and peak RSS (flat: target <= 1.1)
# MB/s counts the zips' bytes on disk and, separately, their inflated members.
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUST_BACKTRACE
COUNT=${1:-10000}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
mkdir -p "$WORK"
cargo build --release --quiet --bin sfbtriage
BIN=$PWD/target/release/sfbtriage

measure() { # best of 3 runs of "$@" (stdout discarded): wall s, CPU s (user+sys, children
  # included: steady on a busy machine), peak RSS MB
  local out=""
  for _ in 1 2 3; do
    /usr/bin/time -o "$WORK/time.out" -f '%e %U %S %M' "$@" >/dev/null 2>&1
    out+="$(tail -1 "$WORK/time.out")"$'\n'
  done
  echo -n "$out" | awk '{w=$1; c=$2+$3; if(n==0||w<bw)bw=w; if(n==0||c<bc)bc=c; if($4>r)r=$4; n++}
    END{printf "%.3f %.3f %.1f\n", bw, bc, r/1024}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.1f", n/t}'; }
mb() { awk -v b="$1" 'BEGIN{printf "%.2f", b/1e6}'; }
# On-disk and inflated bytes of the zips in a folder.
sizes() {
  python3 - "$1" <<'EOF'
import pathlib, sys, zipfile
disk = inflated = 0
for p in pathlib.Path(sys.argv[1]).rglob("*.zip"):
    disk += p.stat().st_size
    inflated += sum(i.file_size for i in zipfile.ZipFile(p).infolist())
print(disk, inflated)
EOF
}

make() { # folder count
  if [ "$(find "$1" -name '*.zip' 2>/dev/null | wc -l)" != "$2" ]; then
    rm -rf "$1"
    python3 benches/make_batch.py "$1" "$2" >/dev/null
  fi
}
BIG=$WORK/batch-$COUNT
SMALL=$WORK/batch-1000
make "$BIG" "$COUNT"
make "$SMALL" 1000
ONE=$WORK/batch-single
if [ ! -d "$ONE" ]; then
  mkdir -p "$ONE"
  find "$SMALL" -name '*.zip' | sort | sed -n 1,100p | xargs -I{} cp {} "$ONE"/
fi
: > "$WORK/empty.txt"
read -r big_disk big_infl < <(sizes "$BIG")
read -r small_disk small_infl < <(sizes "$SMALL")
read -r one_disk one_infl < <(sizes "$ONE")
n_one=$(find "$ONE" -name '*.zip' | wc -l)
echo "batch: $COUNT bundles in $BIG ($(mb "$big_disk") MB zipped, $(mb "$big_infl") MB inflated); $(nproc) cores"

export BIN ONE WORK
read -r w_each c_each _ < <(measure bash -c 'for f in "$ONE"/*.zip; do "$BIN" analyze --threads 1 --format json --no-progress "$f"; done')
read -r _ c_start _ < <(measure bash -c 'for f in "$ONE"/*.zip; do "$BIN" analyze --threads 1 --format json --no-progress "$WORK/empty.txt"; done')
c_work=$(awk -v a="$c_each" -v b="$c_start" 'BEGIN{print a-b}')
echo "single bundle, one analyze --threads 1 process each ($n_one bundles, $(mb "$one_infl") MB inflated):"
echo "  wall ${w_each} s = $(rate "$n_one" "$w_each") bundles/s; CPU ${c_each} s = $(rate "$n_one" "$c_each") bundles/s per core, $(rate "$(mb "$one_infl")" "$c_each") MB/s inflated per core"
echo "  start-up alone (analyze of an empty file, as often): CPU ${c_start} s; the analysis work alone: $(rate "$n_one" "$c_work") bundles/s per core"
batch=("$BIN" batch --format jsonl --no-progress)
read -r w_small c_small rss_small < <(measure "${batch[@]}" --threads 1 "$SMALL")
read -r w_big c_big rss_big < <(measure "${batch[@]}" --threads 1 "$BIG")
read -r w_all c_all rss_all < <(measure "${batch[@]}" "$BIG")
line() { # label count wall cpu rss inflated-bytes
  echo "$1: wall $3 s = $(rate "$2" "$3") bundles/s, $(rate "$(mb "$6")" "$3") MB/s inflated; CPU $4 s = $(rate "$2" "$4") bundles/s per core, $(rate "$(mb "$6")" "$4") MB/s inflated per core; peak RSS $5 MB"
}
line "batch --threads 1, 1000 bundles" 1000 "$w_small" "$c_small" "$rss_small" "$small_infl"
line "batch --threads 1, $COUNT bundles" "$COUNT" "$w_big" "$c_big" "$rss_big" "$big_infl"
line "batch, $(nproc) threads, $COUNT bundles" "$COUNT" "$w_all" "$c_all" "$rss_all" "$big_infl"
per_core_big=$(rate "$COUNT" "$c_big")
echo "RATIO batch($COUNT) / single-bundle processes, bundles per CPU second: $(ratio "$per_core_big" "$(rate "$n_one" "$c_each")")   (target >= 0.9)"
echo "RATIO batch($COUNT) / single-bundle analysis work (start-up taken off), per CPU second: $(ratio "$per_core_big" "$(rate "$n_one" "$c_work")")   (target >= 0.9)"
echo "RATIO throughput $COUNT / 1000 bundles, per CPU second: $(ratio "$per_core_big" "$(rate 1000 "$c_small")"); wall: $(ratio "$(rate "$COUNT" "$w_big")" "$(rate 1000 "$w_small")")   (target >= 0.9)"
echo "RATIO peak RSS $COUNT / 1000 bundles: $(ratio "$rss_big" "$rss_small") (+$(awk -v a="$rss_big" -v b="$rss_small" -v n="$COUNT" 'BEGIN{printf "%.2f", (a-b)*1024*1024/(n-1000)/1024}') KiB per extra bundle: the list of paths)   (flat: target <= 1.1)"
