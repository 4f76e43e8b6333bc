#!/bin/sh
# One shard of a batch, safe to run again after a crash or pre-emption (docs/SCALE.md):
#
#   run-shard.sh K N STORE OUT_DIR [sfbtriage batch options...]
#
# Writes OUT_DIR/shard-K-of-N.<attempt>.jsonl; every earlier attempt's file of the same shard is
# passed to --resume, so an attempt only analyses what the earlier ones did not finish (a line
# cut off by a killed attempt is ignored, with a note on stderr naming it). Give STORE the same
# way in every attempt: --resume matches the `bundle` field, which is the path as given.
set -eu
[ $# -ge 4 ] || { echo "usage: run-shard.sh K N STORE OUT_DIR [options]" >&2; exit 2; }
K=$1 N=$2 STORE=$3 OUT=$4
shift 4
mkdir -p "$OUT"
for f in "$OUT/shard-$K-of-$N".*.jsonl; do
  [ -e "$f" ] && set -- "$@" --resume "$f"
done
attempt=$(date -u +%Y%m%dT%H%M%SZ)-$$
exec sfbtriage batch --format jsonl --no-progress --shard "$K/$N" "$@" "$STORE" \
  > "$OUT/shard-$K-of-$N.$attempt.jsonl"
