#!/usr/bin/env bash
# Load benchmark for POST /api/v1/chat: starts a real `loket serve` on a fresh database and drives it
# with wrk at several connection counts. Every 200 means the message and reply were committed
# (WAL, synchronous=FULL, group commit). Usage: bench/chat_load.sh [build dir] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="./$BUILD" ;; esac
SECONDS_PER_RUN=${2:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
LOKET_DB="$dir/loket.db" LOKET_LISTEN=127.0.0.1:0 LOKET_DATA_KEY=MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE= \
  "$BUILD/loket" serve 2>"$dir/log" &
pid=$!
for _ in $(seq 200); do grep -q '"event":"listening"' "$dir/log" 2>/dev/null && break; sleep 0.05; done
port=$(grep -o '"port":[0-9]*' "$dir/log" | head -1 | cut -d: -f2 || true)
[ -n "$port" ] || { echo "loket did not start:"; cat "$dir/log"; exit 1; }
echo "loket pid $pid on port $port, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
for c in 8 32 64; do
  threads=2; [ "$c" -lt 2 ] && threads=1
  printf "connections=%-3s " "$c"
  wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s bench/chat_post.lua "http://127.0.0.1:$port/api/v1/chat" | grep RESULT
done
echo "conversations stored: $(sqlite3 "$dir/loket.db" 'SELECT COUNT(*) FROM conversation' 2>/dev/null || echo '?')"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^loket_writer_batch_size_(sum|count)' || true
