# Sourced by the load benchmarks: starts `loket serve` from build dir $1 (default build) on a fresh
# database in a temporary directory with any extra environment given in LOKET_EXTRA_ENV (an array),
# waits until it listens, and sets $dir, $pid and $port. The server is stopped and the directory
# removed on exit.
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="./$BUILD" ;; esac
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
env LOKET_DB="$dir/loket.db" LOKET_LISTEN=127.0.0.1:0 LOKET_DATA_KEY=MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE= \
  "${LOKET_EXTRA_ENV[@]}" "$BUILD/loket" serve 2>"$dir/log" &
pid=$!
for _ in $(seq 600); do grep -q '"event":"listening"' "$dir/log" 2>/dev/null && break; sleep 0.05; done
port=$(grep -o '"port":[0-9]*' "$dir/log" | head -1 | cut -d: -f2 || true)
[ -n "$port" ] || { echo "loket did not start:"; cat "$dir/log"; exit 1; }
