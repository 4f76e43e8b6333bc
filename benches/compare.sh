#!/usr/bin/env bash
# Speed and memory of sfbtriage against baselines measured in the same run, on the same files:
# every target of issue 15, each printed with its ratio.
#
#   benches/compare.sh [SIZE_MB]        (default 200; needs unzip, GNU time, python3; rg and
#                                        evtx_dump are used when installed: apt-get install
#                                        ripgrep, cargo install evtx --version 0.15.1)
#
# Environment: RSS_SIZE (MB of log text of the big bundles for the peak-RSS targets, default
# 2000; 0 skips them), BATCH_N (bundles of the batch run, default 10000; 0 skips it),
# BASELINE_BIN (an older sfbtriage to compare with), SFBTRIAGE_BENCH_DIR (work folder).
#
# Prints each measurement (best of 3 wall-clock runs) and the ratios the project tracks:
#   analyze --threads 1 / inflate-only   zipped bundle, target <= 1.0 (parse while inflating)
#   analyze (2 threads) / inflate-only   zipped bundle, target <= 1.2
#   UccApi parse+rules MB/s              one thread, uncompressed log text, target >= 1000
#   1000 rules / 50 rules                rule cost nearly flat in rule count, target <= 1.5
#   EVTX parse+rules rate / evtx crate   in-process parse+serialise of the same files
#                                        (benches/evtx_baseline.rs), target >= 0.85
#   EVTX vs evtx_dump once per file      target: faster (>= 1.0)
#   peak RSS                             2 GB bundle, 2 threads, target <= 150 MB (JSON output,
#                                        and HTML, which keeps the message browser's messages);
#                                        a bundle of ONE 2 GB member, same target (independent of
#                                        member size)
#   batch of BATCH_N bundles             throughput and peak RSS against a batch of 240
#   start-up + rule load                 target <= 20 ms
#   analyze / baseline                   with BASELINE_BIN: the same bundle and log through both
#   batch / single bundle                with BATCH=10000: benches/batch_scale.sh on that many
#                                        generated bundles (batch vs one process per bundle);
#                                        run benches/batch_scale.sh alone for only this section
set -euo pipefail
cd "$(dirname "$0")/.."
# A backtrace captured for every bad record makes evtx_dump (and any Rust tool) several times
# slower: no run here, sfbtriage's or a baseline's, sees RUST_BACKTRACE.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
SIZE=${1:-200}
RSS_SIZE=${RSS_SIZE:-2000}
BATCH_N=${BATCH_N:-10000}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
mkdir -p "$WORK"
cargo build --release --quiet --bin sfbtriage --example gen_bundle --example evtx_baseline
BIN=$PWD/target/release/sfbtriage
GEN=$PWD/target/release/examples/gen_bundle
EVB=$PWD/target/release/examples/evtx_baseline
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
cpu_s() { # user + system CPU seconds of one run of "$@" (best of 3): the machine's load inflates wall time, not this
  local b=""
  for _ in 1 2 3; do
    local t
    t=$(/usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1+$2}')
    b=$(awk -v b="$b" -v t="$t" 'BEGIN{if(b==""||t<b)print t; else print b}')
  done
  echo "$b"
}
rss_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
met() { awk -v r="$1" -v t="$3" -v op="$2" 'BEGIN{ok=(op=="<=")?(r<=t):(r>=t); print ok?"met":"MISSED"}'; }

echo "RUST_BACKTRACE: unset for every run below (sfbtriage and every baseline)"
BUNDLE=$WORK/bundle-$SIZE.zip
[ -f "$BUNDLE" ] || "$GEN" "$BUNDLE" "$SIZE" "$EVTX_DIR"
LOGDIR=$WORK/extracted-$SIZE
if [ ! -d "$LOGDIR" ]; then mkdir -p "$LOGDIR" && unzip -q -o "$BUNDLE" -d "$LOGDIR"; fi
LOG=$LOGDIR/Tracing/Lync-UccApi-0.UccApilog
LOG_MB=$(du -m "$LOG" | cut -f1)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); bundle $BUNDLE ($(du -m "$BUNDLE" | cut -f1) MB zipped, $SIZE MB of log text + EVTX)"

t_an=$(best "$BIN" analyze --format json --no-progress "$BUNDLE")
t_an1=$(best "$BIN" analyze --threads 1 --format json --no-progress "$BUNDLE")
t_unzip=$(best sh -c "unzip -p '$BUNDLE' > /dev/null")
echo "unzip -p bundle.zip:                 ${t_unzip} s"
r=$(ratio "$t_an1" "$t_unzip"); echo "analyze --threads 1 bundle.zip:      ${t_an1} s;  RATIO analyze-1-thread/inflate-only: $r   (target <= 1.0: $(met "$r" "<=" 1.0))"
c_an1=$(cpu_s "$BIN" analyze --threads 1 --format json --no-progress "$BUNDLE"); c_unzip=$(cpu_s sh -c "unzip -p '$BUNDLE' > /dev/null")
echo "  CPU time (user + system): analyze --threads 1 ${c_an1} s, unzip -p ${c_unzip} s;  RATIO: $(ratio "$c_an1" "$c_unzip")"
r=$(ratio "$t_an" "$t_unzip");  echo "analyze bundle.zip ($(nproc) threads):       ${t_an} s;  RATIO analyze/inflate-only: $r   (target <= 1.2: $(met "$r" "<=" 1.2))"

t_log=$(best "$BIN" analyze --threads 1 --format json --no-progress "$LOG")
rate=$(awk -v m="$LOG_MB" -v t="$t_log" 'BEGIN{printf "%.0f", m/t}')
echo "UccApi parse + rules, one ${LOG_MB} MB log, 1 thread: ${t_log} s = ${rate} MB/s;  RATIO to target: $(ratio "$rate" 1000)   (target >= 1000 MB/s: $(met "$rate" ">=" 1000))"
c_log=$(cpu_s "$BIN" analyze --threads 1 --format json --no-progress "$LOG")
echo "  same run's CPU time (user + system): ${c_log} s = $(awk -v m="$LOG_MB" -v t="$c_log" 'BEGIN{printf "%.0f", m/t}') MB/s of CPU"
if command -v rg >/dev/null 2>&1; then
  t_rg=$(best rg -c -F -i -e 0x80090324 -e SEC_E_TIME_SKEW -e 0x8009030C -e SEC_E_LOGON_DENIED -e ms-diagnostics "$LOG")
  echo "  rg -F -i (same literals): ${t_rg} s;  RATIO analyze/rg: $(ratio "$t_log" "$t_rg")"
else
  echo "  rg not installed: skipped the rg baseline"
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
r=$(ratio "$t1000" "$t50"); echo "50 extra rules: ${t50} s; 1000 extra rules: ${t1000} s;  RATIO 1000/50: $r   (target <= 1.5: $(met "$r" "<=" 1.5))"

# EVTX: the .evtx members alone, one thread, against the evtx crate's own parse rate.
mapfile -t EVTX_FILES < <(find "$LOGDIR/EventLogs" -name '*.evtx' 2>/dev/null | sort)
if [ "${#EVTX_FILES[@]}" -gt 0 ]; then
  set -- "${EVTX_FILES[@]}"
  records=$("$BIN" analyze --format json --no-progress "$LOGDIR/EventLogs" | python3 -c 'import json,sys; print(sum(e["counts"]["records"] for e in json.load(sys.stdin)["inventory"]))')
  t_ev=$(best "$BIN" analyze --threads 1 --format json --no-progress "$LOGDIR/EventLogs")
  echo "sfbtriage --threads 1 on $# .evtx ($records records): ${t_ev} s = $(awk -v r="$records" -v t="$t_ev" 'BEGIN{printf "%.0f", r/t}') records/s (parse + rules + report)"
  t_evx=$(best "$EVB" xml "$@")
  t_evj=$(best "$EVB" jsonl "$@")
  echo "  evtx crate in-process (benches/evtx_baseline.rs), same files: xml ${t_evx} s, jsonl ${t_evj} s ($("$EVB" xml "$@" 2>&1 >/dev/null))"
  t_evb=$(awk -v a="$t_evx" -v b="$t_evj" 'BEGIN{print (a<b)?a:b}')
  r=$(ratio "$t_evb" "$t_ev"); echo "  RATIO sfbtriage rate / evtx crate rate (the faster of the two): $r   (target >= 0.85: $(met "$r" ">=" 0.85))"
  if command -v evtx_dump >/dev/null 2>&1; then
    t_dump=$(best sh -c 'for f in "$@"; do evtx_dump -t 1 -o jsonl "$f"; done > /dev/null' sh "$@")
    r=$(ratio "$t_dump" "$t_ev"); echo "  evtx_dump -t 1 -o jsonl once per file: ${t_dump} s;  RATIO sfbtriage rate / evtx_dump rate: $r   (target >= 1.0: $(met "$r" ">=" 1.0))"
  else
    echo "  evtx_dump not installed (cargo install evtx --version 0.15.1): skipped"
  fi
fi

echo "peak RSS analyze bundle.zip ($SIZE MB, $(nproc) threads): $(rss_mb "$BIN" analyze --format json --no-progress "$BUNDLE") MB; --threads 1: $(rss_mb "$BIN" analyze --threads 1 --format json --no-progress "$BUNDLE") MB"
if [ "$RSS_SIZE" != 0 ]; then
  BIG=$WORK/bundle-$RSS_SIZE.zip
  [ -f "$BIG" ] || "$GEN" "$BIG" "$RSS_SIZE" "$EVTX_DIR"
  ONE=$WORK/bundle-$RSS_SIZE-one-member.zip
  [ -f "$ONE" ] || GEN_MEMBER_MB=$RSS_SIZE "$GEN" "$ONE" "$RSS_SIZE" /nonexistent
  m=$(rss_mb "$BIN" analyze --threads 2 --format json --no-progress "$BIG")
  echo "peak RSS analyze --threads 2, $RSS_SIZE MB bundle (100 MB members): $m MB;  RATIO to target: $(ratio "$m" 150)   (target <= 150 MB: $(met "$m" "<=" 150))"
  m=$(rss_mb "$BIN" analyze --threads 2 --format html --no-progress "$BIG")
  echo "  same bundle, --format html (keeps the message browser's SIP messages, 2,000 per log): $m MB;  RATIO to target: $(ratio "$m" 150)   ($(met "$m" "<=" 150))"
  m=$(rss_mb "$BIN" analyze --threads 2 --format json --no-progress "$ONE")
  echo "peak RSS analyze --threads 2, one $RSS_SIZE MB member: $m MB;  RATIO to target: $(ratio "$m" 150)   (target <= 150 MB: $(met "$m" "<=" 150))"
fi

if [ "$BATCH_N" != 0 ]; then
  SMALL=$WORK/batch-240
  LARGE=$WORK/batch-$BATCH_N
  [ -d "$SMALL" ] || python3 benches/make_batch.py "$SMALL" 240 >/dev/null
  [ -d "$LARGE" ] || python3 benches/make_batch.py "$LARGE" "$BATCH_N" >/dev/null
  t_s=$(best "$BIN" batch --format jsonl "$SMALL")
  t_l=$(best "$BIN" batch --format jsonl "$LARGE")
  per_s=$(awk -v n=240 -v t="$t_s" 'BEGIN{printf "%.0f", n/t}')
  per_l=$(awk -v n="$BATCH_N" -v t="$t_l" 'BEGIN{printf "%.0f", n/t}')
  r=$(ratio "$per_l" "$per_s")
  echo "batch of 240 bundles: ${t_s} s = $per_s bundles/s; batch of $BATCH_N: ${t_l} s = $per_l bundles/s;  RATIO: $r   (target >= 0.9: $(met "$r" ">=" 0.9))"
  m_s=$(rss_mb "$BIN" batch --format jsonl "$SMALL"); m_l=$(rss_mb "$BIN" batch --format jsonl "$LARGE")
  r=$(ratio "$m_l" "$m_s")
  echo "  peak RSS batch of 240: $m_s MB; of $BATCH_N: $m_l MB;  RATIO: $r   (flat memory, target <= 1.1: $(met "$r" "<=" 1.1))"
fi

t_start=$(best "$BIN" rules list)
ms=$(awk -v t="$t_start" 'BEGIN{printf "%.1f", t*1000}')
echo "start-up + rule load (rules list): $ms ms;  RATIO to target: $(ratio "$ms" 20)   (target <= 20 ms: $(met "$ms" "<=" 20))"

# Against an older build, when given: the cost (or gain) of what changed since.
if [ -n "${BASELINE_BIN:-}" ]; then
  b_an=$(best "$BASELINE_BIN" analyze --format json --no-progress "$BUNDLE")
  b_an1=$(best "$BASELINE_BIN" analyze --threads 1 --format json --no-progress "$BUNDLE")
  b_log=$(best "$BASELINE_BIN" analyze --threads 1 --format json --no-progress "$LOG")
  echo "baseline $BASELINE_BIN"
  echo "  bundle.zip: ${t_an} s vs ${b_an} s;  RATIO analyze/baseline: $(ratio "$t_an" "$b_an")"
  echo "  bundle.zip, 1 thread: ${t_an1} s vs ${b_an1} s;  RATIO: $(ratio "$t_an1" "$b_an1")"
  echo "  one ${LOG_MB} MB log, 1 thread: ${t_log} s vs ${b_log} s;  RATIO: $(ratio "$t_log" "$b_log")"
  echo "  peak RSS bundle.zip: $(rss_mb "$BIN" analyze --format json --no-progress "$BUNDLE") MB vs $(rss_mb "$BASELINE_BIN" analyze --format json --no-progress "$BUNDLE") MB"
  if [ "$RSS_SIZE" != 0 ]; then
    echo "  peak RSS $RSS_SIZE MB bundle, 2 threads: $(rss_mb "$BIN" analyze --threads 2 --format json --no-progress "$BIG") MB vs $(rss_mb "$BASELINE_BIN" analyze --threads 2 --format json --no-progress "$BIG") MB"
  fi
fi

# Many bundles in one batch against the single-bundle rate (optional: BATCH=10000).
if [ -n "${BATCH:-}" ]; then
  SFBTRIAGE_BENCH_DIR=$WORK benches/batch_scale.sh "$BATCH"
fi
