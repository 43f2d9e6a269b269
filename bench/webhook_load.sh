#!/usr/bin/env bash
# Inbound webhook → outbox committed, under load: a real `loket serve` with Telegram enabled (its API
# base points at a closed local port, so deliveries fail fast and are retried later, off the request
# path), driven by wrk with unique update ids. Usage: bench/webhook_load.sh [build dir] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="./$BUILD" ;; esac
SECONDS_PER_RUN=${2:-10}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
LOKET_DB="$dir/loket.db" LOKET_LISTEN=127.0.0.1:0 LOKET_DATA_KEY=MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE= \
  LOKET_TELEGRAM_SECRET=bench-secret LOKET_TELEGRAM_TOKEN=1:bench LOKET_TELEGRAM_API_BASE=http://127.0.0.1:9 \
  "$BUILD/loket" serve 2>"$dir/log" &
pid=$!
for _ in $(seq 200); do grep -q '"event":"listening"' "$dir/log" 2>/dev/null && break; sleep 0.05; done
port=$(grep -o '"port":[0-9]*' "$dir/log" | head -1 | cut -d: -f2 || true)
[ -n "$port" ] || { echo "loket did not start:"; cat "$dir/log"; exit 1; }
echo "loket on port $port, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
for c in 8 32 64; do
  printf "connections=%-3s " "$c"
  wrk -t2 -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s bench/webhook_post.lua "http://127.0.0.1:$port/webhooks/telegram" | grep RESULT
done
echo "outbox rows: $(sqlite3 "$dir/loket.db" 'SELECT COUNT(*) FROM outbox' 2>/dev/null || echo '?')"
