#!/usr/bin/env bash
# `sfbtriage batch` on many bundles against the single-bundle rate, measured in the same run.
#
#   benches/batch_scale.sh [COUNT]      (default 10000; also run by `BATCH=10000 benches/compare.sh`;
#                                        needs python3 and GNU time)
#
# Generates COUNT bundles with benches/make_batch.py (the samples/ zips, each with its user
# renamed) and the first 1,000 of them separately, then prints (median of RUNS=5 runs; wall-clock
# time and CPU time, which is steadier on a busy machine):
#   single-bundle rate        `analyze --threads 1`, one process per bundle, on the first 100
#                             bundles; also with the start-up (analyze of an empty file, same
#                             loop) taken off, which is the analysis work alone
#   batch --threads 1         on 1,000 and on COUNT bundles: bundles/s, MB/s, peak RSS
#   batch (every core)        on COUNT bundles
# and the ratios:
#   batch / single-bundle     throughput per core, target >= 0.9 (against both baselines)
#   COUNT / 1,000 bundles     throughput (target >= 0.9) and peak RSS (flat: target <= 1.1)
# The samples are small (about 18 KB of logs each), so start-up dominates one process per
# bundle. The last part therefore also measures large bundles, where it does not:
#   LARGE_COUNT copies (default 20, hard links) of one gen_bundle bundle of LARGE_MB (default
#   20) MB of UccApi log plus the corpus .evtx files: batch --threads 1 over them against
#   `analyze --threads 1` of the one bundle, per bundle; target >= 0.9
# MB/s counts the zips' bytes on disk and, separately, their inflated members.
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUST_BACKTRACE
COUNT=${1:-10000}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
mkdir -p "$WORK"
cargo build --release --quiet --bin sfbtriage --example gen_bundle
BIN=$PWD/target/release/sfbtriage
GEN=$PWD/target/release/examples/gen_bundle
EVTX_DIR=${EVTX_DIR:-../shared/corpus/evtx}
LARGE_COUNT=${LARGE_COUNT:-20}
LARGE_MB=${LARGE_MB:-20}

RUNS=${RUNS:-5}
measure() { # median of $RUNS runs of "$@" (stdout discarded): wall s, CPU s (user+sys, children
  # included: steadier than wall on a busy machine), peak RSS MB (the largest). The median,
  # not the best: the best of a few short runs is luckier than the best of a few long ones.
  : > "$WORK/time.all"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$WORK/time.out" -f '%e %U %S %M' "$@" >/dev/null 2>&1
    tail -1 "$WORK/time.out" >> "$WORK/time.all"
  done
  local w c r
  w=$(awk '{print $1}' "$WORK/time.all" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  c=$(awk '{print $2+$3}' "$WORK/time.all" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  r=$(awk '$4>r{r=$4} END{printf "%.1f", r/1024}' "$WORK/time.all")
  echo "$w $c $r"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
rratio() { awk -v n1="$1" -v t1="$2" -v n2="$3" -v t2="$4" 'BEGIN{printf "%.2f", (n1/t1)/(n2/t2)}'; } # (n1/t1)/(n2/t2)
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
echo "RATIO batch($COUNT) / single-bundle processes, bundles per CPU second: $(rratio "$COUNT" "$c_big" "$n_one" "$c_each")   (target >= 0.9)"
echo "RATIO batch($COUNT) / single-bundle analysis work (start-up taken off), per CPU second: $(rratio "$COUNT" "$c_big" "$n_one" "$c_work")   (target >= 0.9)"
echo "RATIO throughput $COUNT / 1000 bundles, per CPU second: $(rratio "$COUNT" "$c_big" 1000 "$c_small"); wall: $(rratio "$COUNT" "$w_big" 1000 "$w_small")   (target >= 0.9)"
echo "RATIO peak RSS $COUNT / 1000 bundles: $(ratio "$rss_big" "$rss_small") (+$(awk -v a="$rss_big" -v b="$rss_small" -v n="$COUNT" 'BEGIN{printf "%.2f", (a-b)*1024*1024/(n-1000)/1024}') KiB per extra bundle: the list of paths)   (flat: target <= 1.1)"

# Large bundles: the same bundle LARGE_COUNT times (hard links: separate bundles to batch).
LARGE=$WORK/batch-large-$LARGE_MB-$LARGE_COUNT
if [ "$(find "$LARGE" -name '*.zip' 2>/dev/null | wc -l)" != "$LARGE_COUNT" ]; then
  rm -rf "$LARGE" && mkdir -p "$LARGE"
  "$GEN" "$LARGE/ticket-0000.zip" "$LARGE_MB" "$EVTX_DIR" >/dev/null 2>&1
  for i in $(seq 1 $((LARGE_COUNT - 1))); do ln "$LARGE/ticket-0000.zip" "$LARGE/$(printf 'ticket-%04d.zip' "$i")"; done
fi
read -r _ large_infl < <(sizes "$LARGE")
large_infl=$((large_infl / LARGE_COUNT))
read -r w_one c_one rss_one < <(measure "$BIN" analyze --threads 1 --format json --no-progress "$LARGE/ticket-0000.zip")
read -r w_many c_many rss_many < <(measure "${batch[@]}" --threads 1 "$LARGE")
read -r w_many2 _ rss_many2 < <(measure "${batch[@]}" "$LARGE")
echo "large bundle ($(mb "$large_infl") MB inflated: $LARGE_MB MB of UccApi log and the corpus .evtx), analyze --threads 1: wall $w_one s, CPU $c_one s = $(rate "$(mb "$large_infl")" "$c_one") MB/s inflated per core; peak RSS $rss_one MB"
echo "batch --threads 1 of $LARGE_COUNT such bundles: wall $w_many s, CPU $c_many s = $(rate "$(mb "$((large_infl * LARGE_COUNT))")" "$c_many") MB/s inflated per core; peak RSS $rss_many MB"
echo "batch ($(nproc) threads) of $LARGE_COUNT such bundles: wall $w_many2 s = $(rate "$LARGE_COUNT" "$w_many2") bundles/s, $(rate "$(mb "$((large_infl * LARGE_COUNT))")" "$w_many2") MB/s inflated; peak RSS $rss_many2 MB"
echo "RATIO batch of $LARGE_COUNT large bundles / one analyze of it, per bundle: CPU $(rratio "$LARGE_COUNT" "$c_many" 1 "$c_one"), wall $(rratio "$LARGE_COUNT" "$w_many" 1 "$w_one")   (target >= 0.9)"
