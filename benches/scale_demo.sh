#!/usr/bin/env bash
# The recipe of docs/SCALE.md, run for real on generated bundles: N shards with GNU parallel, one
# shard killed mid-run and resumed, the outputs checked against a single run, then counted with
# DuckDB. Optional (not part of `cargo test`); needs GNU parallel (`apt-get install parallel`)
# and DuckDB's Python package (`pip install duckdb`).
#
#   benches/scale_demo.sh [COUNT] [N]      (default 10000 bundles, 4 shards)
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUST_BACKTRACE
COUNT=${1:-10000}
N=${2:-4}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
cargo build --release --quiet --bin sfbtriage
REPO=$PWD
export PATH=$PWD/target/release:$PATH
STORE=$WORK/batch-$COUNT
if [ "$(find "$STORE" -name '*.zip' 2>/dev/null | wc -l)" != "$COUNT" ]; then
  rm -rf "$STORE"
  python3 benches/make_batch.py "$STORE" "$COUNT" >/dev/null
fi
DEMO=$WORK/scale-demo
rm -rf "$DEMO" && mkdir -p "$DEMO/out"
ln -s "$STORE" "$DEMO/store"
cd "$DEMO"

echo "== $N shards with GNU parallel, $(nproc) at a time, over $COUNT bundles"
s=$(date +%s.%N)
parallel sfbtriage batch --format jsonl --no-progress --threads 1 --shard {}/"$N" store \
  '>' out/batch-{}.jsonl ::: $(seq 1 "$N")
e=$(date +%s.%N)
wc -l out/*.jsonl
awk -v s="$s" -v e="$e" -v n="$COUNT" 'BEGIN{printf "wall %.2f s = %.0f bundles/s\n", e-s, n/(e-s)}'

echo "== one run over everything, for comparison"
sfbtriage batch --format jsonl --no-progress store > full.jsonl
cat out/*.jsonl | sort | cmp - <(sort full.jsonl) && echo "the shards' lines, sorted, are the single run's lines"

echo "== shard 2 killed after 0.3 s, then resumed"
timeout -s KILL 0.3 sfbtriage batch --format jsonl --no-progress --threads 1 --shard 2/"$N" store \
  > out/batch-2.jsonl || echo "killed: exit $?"
echo "$(wc -l < out/batch-2.jsonl) whole lines$( [ -n "$(tail -c 1 out/batch-2.jsonl)" ] && echo ' and a cut-off one')"
sfbtriage batch --format jsonl --no-progress --threads 1 --shard 2/"$N" --resume out/batch-2.jsonl store \
  2> resume.err > out/batch-2.resumed.jsonl
cat resume.err
echo "== counts with DuckDB (the cut-off line still in out/batch-2.jsonl: skipped)"
/usr/bin/time -f "DuckDB: %e s wall, %U+%S s CPU" python3 "$REPO/benches/batch_sql.py" out
# The note names the cut-off line: delete it, and the files concatenate into the full run.
line=$(sed -n 's/.*batch-2\.jsonl:\([0-9]*\): ignored.*/\1/p' resume.err)
if [ -n "$line" ]; then sed -i "${line}d" out/batch-2.jsonl; fi
cat out/*.jsonl | sort | cmp - <(sort full.jsonl) && echo "after the resume (cut-off line deleted) the shards' lines are again the single run's lines"
