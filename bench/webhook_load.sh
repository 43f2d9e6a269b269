#!/usr/bin/env bash
# Inbound webhook → outbox committed, under load: a real `loket serve` with Telegram enabled (its API
# base points at a closed local port, so deliveries fail fast and are retried later, off the request
# path), driven by wrk with unique update ids. Usage: bench/webhook_load.sh [build dir] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${2:-10}
LOKET_EXTRA_ENV=(LOKET_TELEGRAM_SECRET=bench-secret LOKET_TELEGRAM_TOKEN=1:bench LOKET_TELEGRAM_API_BASE=http://127.0.0.1:9)
# shellcheck source=bench/start_loket.sh
source bench/start_loket.sh "${1:-build}"
echo "loket on port $port, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
for c in 8 32 64; do
  printf "connections=%-3s " "$c"
  wrk -t2 -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s bench/webhook_post.lua "http://127.0.0.1:$port/webhooks/telegram" | grep RESULT
done
echo "outbox rows: $(sqlite3 "$dir/loket.db" 'SELECT COUNT(*) FROM outbox' 2>/dev/null || echo '?')"
