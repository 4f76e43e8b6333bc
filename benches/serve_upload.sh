#!/usr/bin/env bash
# Upload -> verdict through `sfbtriage serve` against `sfbtriage analyze` on the same bundle.
#
#   benches/serve_upload.sh [SIZE_MB]     (default 200; needs curl)
#
# Generates a bundle with the gen_bundle example (as compare.sh does), starts a server on loopback, and
# measures (best of 3 wall-clock runs) the CLI's `analyze --format json` and a
# `curl --data-binary @bundle POST /api/analyze` that waits for the JSON. Prints the ratio
# the project tracks: serve/CLI, target <= 1.3.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-200}
WORK=${SFBTRIAGE_BENCH_DIR:-/tmp/sfbtriage-compare}
mkdir -p "$WORK"
cargo build --release --quiet --bin sfbtriage --example gen_bundle
BIN=$PWD/target/release/sfbtriage
GEN=$PWD/target/release/examples/gen_bundle
EVTX_DIR=${EVTX_DIR:-../shared/corpus/evtx}
BUNDLE=$WORK/bundle-$SIZE.zip
[ -f "$BUNDLE" ] || "$GEN" "$BUNDLE" "$SIZE" "$EVTX_DIR"

best() { # best wall time in seconds of 3 runs of "$@" (stdout discarded)
  local b=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    b=$(awk -v b="$b" -v t="$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" 'BEGIN{if(b==""||t<b)print t; else print b}')
  done
  echo "$b"
}

OUT=$WORK/serve.out
"$BIN" serve --max-upload $((8 << 30)) >"$OUT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT" ] && break; sleep 0.1; done
URL=$(head -1 "$OUT")
BASE=${URL%%/?token=*}
TOKEN=${URL#*token=}
NAME=$(basename "$BUNDLE")

upload() {
  curl -sf -H "Authorization: Bearer $TOKEN" -H "Expect:" --data-binary @"$BUNDLE" \
    "$BASE/api/analyze?name=$NAME"
}
# The served JSON is the CLI's, byte for byte.
cmp <(upload) <(cd "$(dirname "$BUNDLE")" && "$BIN" analyze --format json --no-progress "$NAME") \
  || { echo "served JSON differs from the CLI's" >&2; exit 1; }

t_cli=$(best "$BIN" analyze --format json --no-progress "$BUNDLE")
t_srv=$(best upload)
echo "machine: $(nproc) cores; bundle $BUNDLE ($(du -m "$BUNDLE" | cut -f1) MB zipped)"
echo "analyze --format json:        ${t_cli} s"
echo "serve upload -> JSON verdict: ${t_srv} s"
echo "RATIO serve/analyze: $(awk -v a="$t_srv" -v b="$t_cli" 'BEGIN{printf "%.2f", a/b}')   (target <= 1.3)"
