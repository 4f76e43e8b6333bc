#!/usr/bin/env bash
# Speed of sfbtriage against baselines measured in the same run, on the same files.
#
#   benches/compare.sh [SIZE_MB]        (default 200; needs unzip, GNU time; rg and evtx_dump
#                                        are used when installed: apt-get install ripgrep,
#                                        cargo install evtx --version 0.15.1)
#
# Prints each measurement (best of 3 wall-clock runs) and the ratios the project tracks:
#   analyze / inflate-only     zipped bundle, target <= 1.2
#   UccApi parse+rules MB/s    one thread, uncompressed log text, target >= 1000
#   1000 rules / 50 rules      rule cost nearly flat in rule count, target <= 1.5
#   EVTX records/s vs evtx_dump -o jsonl on the same files, target >= 1.0
#   peak RSS                   target <= 200 MB on a 2 GB bundle
#   start-up + rule load       target <= 20 ms
#   analyze / baseline         with BASELINE_BIN=path/to/an/older/sfbtriage: the same bundle and
#                              log through both binaries in this run (e.g. the cost of a feature)
#   batch / single bundle      with BATCH=10000: benches/batch_scale.sh on that many generated
#                              bundles (bundles/s and MB/s per core, batch vs one process per
#                              bundle, throughput and peak RSS at 1,000 vs BATCH bundles); run
#                              benches/batch_scale.sh alone for only this section
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-200}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
mkdir -p "$WORK"
cargo build --release --quiet --bin sfbtriage --example gen_bundle
BIN=$PWD/target/release/sfbtriage
GEN=$PWD/target/release/examples/gen_bundle
EVTX_DIR=${EVTX_DIR:-../shared/corpus/evtx}

best() { # best wall time in seconds of 3 runs of "$@" (stdout discarded)
  local b=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    b=$(awk -v b="$b" -v t="$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" 'BEGIN{if(b==""||t<b)print t; else print b}')
  done
  echo "$b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
rss_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }

BUNDLE=$WORK/bundle-$SIZE.zip
[ -f "$BUNDLE" ] || "$GEN" "$BUNDLE" "$SIZE" "$EVTX_DIR"
LOGDIR=$WORK/extracted-$SIZE
if [ ! -d "$LOGDIR" ]; then mkdir -p "$LOGDIR" && unzip -q -o "$BUNDLE" -d "$LOGDIR"; fi
LOG=$LOGDIR/Tracing/Lync-UccApi-0.UccApilog
LOG_MB=$(du -m "$LOG" | cut -f1)
echo "machine: $(nproc) cores; bundle $BUNDLE ($(du -m "$BUNDLE" | cut -f1) MB zipped, $SIZE MB of log text + EVTX)"

t_an=$(best "$BIN" analyze --format json --no-progress "$BUNDLE")
t_unzip=$(best sh -c "unzip -p '$BUNDLE' > /dev/null")
echo "analyze bundle.zip:         ${t_an} s"
echo "unzip -p bundle.zip:        ${t_unzip} s"
echo "RATIO analyze/inflate-only: $(ratio "$t_an" "$t_unzip")   (target <= 1.2)"

t_log=$(best "$BIN" analyze --threads 1 --format json --no-progress "$LOG")
echo "analyze one ${LOG_MB} MB log, 1 thread: ${t_log} s = $(awk -v m="$LOG_MB" -v t="$t_log" 'BEGIN{printf "%.0f", m/t}') MB/s   (target >= 1000 MB/s)"
if command -v rg >/dev/null 2>&1; then
  t_rg=$(best rg -c -F -i -e 0x80090324 -e SEC_E_TIME_SKEW -e 0x8009030C -e SEC_E_LOGON_DENIED -e ms-diagnostics "$LOG")
  echo "rg -F -i (same literals):   ${t_rg} s;  RATIO analyze/rg: $(ratio "$t_log" "$t_rg")"
else
  echo "rg not installed: skipped the rg baseline"
fi

# Rule-count scaling: 50 and 1000 generated rules added with --rules.
for n in 50 1000; do
  d=$WORK/rules-$n
  if [ ! -d "$d" ]; then
    mkdir -p "$d"
    awk -v n="$n" 'BEGIN{for(i=0;i<n;i++){
      printf "[[rule]]\nid = \"gen.%d\"\ncause = \"dns-propagation\"\nweight = 0.1\nsummary = \"generated\"\n", i;
      if (i%3==0) printf "[rule.record]\ncontains = \"0xC%07X\"\n\n", i;
      else if (i%3==1) printf "[rule.sip]\ndiag_code = %d\n\n", 20000+i;
      else printf "[rule.record]\ncontains = [\"GenMarker%dAlpha\", \"GenMarker%dBeta\"]\nlevel = \"ERROR\"\n\n", i, i;
    }}' > "$d/generated.toml"
  fi
done
t50=$(best "$BIN" analyze --threads 1 --format json --no-progress --rules "$WORK/rules-50" "$LOG")
t1000=$(best "$BIN" analyze --threads 1 --format json --no-progress --rules "$WORK/rules-1000" "$LOG")
echo "50 extra rules: ${t50} s; 1000 extra rules: ${t1000} s;  RATIO 1000/50: $(ratio "$t1000" "$t50")   (target <= 1.5)"

# EVTX: the .evtx members alone, against evtx_dump of the same crate version.
EVTX_FILES=$(find "$LOGDIR/EventLogs" -name '*.evtx' 2>/dev/null | sort)
if [ -n "$EVTX_FILES" ]; then
  records=$("$BIN" analyze --format json --no-progress "$LOGDIR/EventLogs" | python3 -c 'import json,sys; print(sum(e["counts"]["records"] for e in json.load(sys.stdin)["inventory"]))')
  t_ev=$(best "$BIN" analyze --format json --no-progress "$LOGDIR/EventLogs")
  echo "sfbtriage on $(echo "$EVTX_FILES" | wc -l) .evtx ($records records): ${t_ev} s = $(awk -v r="$records" -v t="$t_ev" 'BEGIN{printf "%.0f", r/t}') records/s"
  if command -v evtx_dump >/dev/null 2>&1; then
    t_dump=$(best sh -c "for f in $(echo "$EVTX_FILES" | tr '\n' ' '); do evtx_dump -o jsonl \"\$f\"; done > /dev/null")
    echo "evtx_dump -o jsonl, same files: ${t_dump} s;  RATIO evtx_dump/sfbtriage throughput: $(ratio "$t_dump" "$t_ev")   (target >= 1.0)"
  else
    echo "evtx_dump not installed (cargo install evtx --version 0.15.1): skipped"
  fi
fi

echo "peak RSS analyze bundle.zip: $(rss_mb "$BIN" analyze --format json --no-progress "$BUNDLE") MB   (target <= 200 MB at 2 GB)"
t_start=$(best "$BIN" rules list)
echo "start-up + rule load (rules list): $(awk -v t="$t_start" 'BEGIN{printf "%.1f", t*1000}') ms   (target <= 20 ms)"

# Against an older build, when given: the cost of what changed since (e.g. the sign-in attempts).
if [ -n "${BASELINE_BIN:-}" ]; then
  b_an=$(best "$BASELINE_BIN" analyze --format json --no-progress "$BUNDLE")
  t_an1=$(best "$BIN" analyze --threads 1 --format json --no-progress "$BUNDLE")
  b_an1=$(best "$BASELINE_BIN" analyze --threads 1 --format json --no-progress "$BUNDLE")
  b_log=$(best "$BASELINE_BIN" analyze --threads 1 --format json --no-progress "$LOG")
  echo "baseline $BASELINE_BIN"
  echo "  bundle.zip: ${t_an} s vs ${b_an} s;  RATIO analyze/baseline: $(ratio "$t_an" "$b_an")"
  echo "  bundle.zip, 1 thread: ${t_an1} s vs ${b_an1} s;  RATIO: $(ratio "$t_an1" "$b_an1")"
  echo "  one ${LOG_MB} MB log, 1 thread: ${t_log} s vs ${b_log} s;  RATIO: $(ratio "$t_log" "$b_log")"
  echo "  peak RSS bundle.zip: $(rss_mb "$BIN" analyze --format json --no-progress "$BUNDLE") MB vs $(rss_mb "$BASELINE_BIN" analyze --format json --no-progress "$BUNDLE") MB"
fi

# Many bundles in one batch against the single-bundle rate (optional: BATCH=10000).
if [ -n "${BATCH:-}" ]; then
  SFBTRIAGE_BENCH_DIR=$WORK benches/batch_scale.sh "$BATCH"
fi
