#!/usr/bin/env bash
# Load benchmark for POST /api/v1/chat: starts a real `loket serve` on a fresh database and drives it
# with wrk at several connection counts. Every 200 means the message and reply were committed
# (WAL, synchronous=FULL, group commit). Usage: bench/chat_load.sh [build dir] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${2:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
LOKET_EXTRA_ENV=()
# shellcheck source=bench/start_loket.sh
source bench/start_loket.sh "${1:-build}"
echo "loket pid $pid on port $port, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
for c in 8 32 64; do
  threads=2; [ "$c" -lt 2 ] && threads=1
  printf "connections=%-3s " "$c"
  wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s bench/chat_post.lua "http://127.0.0.1:$port/api/v1/chat" | grep RESULT
done
echo "conversations stored: $(sqlite3 "$dir/loket.db" 'SELECT COUNT(*) FROM conversation' 2>/dev/null || echo '?')"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^loket_writer_batch_size_(sum|count)' || true
