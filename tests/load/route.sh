#!/usr/bin/env bash
# Bounded, loopback-only load test of `ecojuris serve` (issue 13).
#
#   tests/load/route.sh [SECONDS]      (default 10 s per phase, at most 60)
#
# Builds nothing: it runs target/release/ecojuris (build it first with `cargo build --release`).
# Installs `wrk` from Debian when it is missing (apt-get; needs root). Listens on 127.0.0.1
# only, on a free port. Phases:
#   1. POST /v1/route with wrk: requests/s and errors (socket errors + non-2xx).
#   2. GET /healthz latency (p50/p99) while a large batch streams through POST /v1/batch.
#   3. GET /healthz latency while 40 clients pipeline requests and never read.
# The server's resident memory (VmRSS, and the peak VmHWM) is sampled after each phase.
set -euo pipefail

cd "$(dirname "$0")/../.."
SECS="${1:-10}"
if ! [[ "$SECS" =~ ^[0-9]+$ ]] || (( SECS < 1 || SECS > 60 )); then
  echo "error: give the seconds per phase, 1 to 60 (got \`$SECS\`)" >&2
  exit 2
fi
BIN=target/release/ecojuris
[[ -x "$BIN" ]] || { echo "error: \`$BIN\` is missing: run \`cargo build --release\`" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

WORK="$(mktemp -d)"
SERVER_PID=""
BATCH_PID=""
cleanup() {
  for fd in "${IDLE_FDS[@]:-}"; do [[ -n "$fd" ]] && eval "exec $fd>&-" 2>/dev/null || true; done
  [[ -n "$BATCH_PID" ]] && kill "$BATCH_PID" 2>/dev/null || true
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
IDLE_FDS=()

"$BIN" serve --addr 127.0.0.1:0 2>"$WORK/serve.log" &
SERVER_PID=$!
for _ in $(seq 100); do
  grep -q '^listening on' "$WORK/serve.log" 2>/dev/null && break
  sleep 0.1
done
ADDR="$(sed -n 's/^listening on http:\/\/\([0-9.:]*\).*/\1/p' "$WORK/serve.log" | head -1)"
case "$ADDR" in
  127.0.0.1:*) ;;
  *) echo "error: the server is not on loopback (\`$ADDR\`)" >&2; exit 2 ;;
esac
PORT="${ADDR##*:}"
URL="http://$ADDR"

mem() {
  awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MiB  ", $1, $2/1024}' "/proc/$SERVER_PID/status"
  echo
}

# wrk summary: requests/s, errors, p50, p99.
summary() {
  awk '
    /Requests\/sec/ {rps=$2}
    /Non-2xx/ {non2xx=$NF}
    /Socket errors/ {gsub(",", ""); sock=$4+$6+$8+$10}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    END {printf "requests/s %s, errors %d (socket %d, non-2xx %d), p50 %s, p99 %s\n", rps, sock+non2xx, sock, non2xx, p50, p99}
  ' "$1"
}

cat >"$WORK/route.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","code":"310118"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA

echo "server $URL (pid $SERVER_PID), $SECS s per phase, $(nproc) cores"
echo -n "memory at start: "; mem

echo "== 1. POST /v1/route"
wrk -t2 -c64 -d"${SECS}s" --latency -s "$WORK/route.lua" "$URL/v1/route" >"$WORK/route.txt"
echo -n "   "; summary "$WORK/route.txt"
echo -n "   memory: "; mem

echo "== 2. GET /healthz while a large batch runs"
"$BIN" generate-cases --count 200000 --seed 1 --output "$WORK/cases.jsonl" 2>/dev/null
curl -sS --max-time $((SECS * 3)) -H 'Content-Type: application/x-ndjson' --data-binary "@$WORK/cases.jsonl" \
  "$URL/v1/batch" -o "$WORK/batch.out" &
BATCH_PID=$!
sleep 1
wrk -t1 -c4 -d"${SECS}s" --latency "$URL/healthz" >"$WORK/h1.txt"
echo -n "   "; summary "$WORK/h1.txt"
echo -n "   memory: "; mem
kill "$BATCH_PID" 2>/dev/null || true
wait "$BATCH_PID" 2>/dev/null || true
BATCH_PID=""
echo "   batch lines answered while measuring: $(wc -l <"$WORK/batch.out" 2>/dev/null || echo 0)"

echo "== 3. GET /healthz while 40 clients do not read"
REQ="$(printf 'GET /v1/rules HTTP/1.1\r\nHost: x\r\n\r\n%.0s' $(seq 200))"
for _ in $(seq 40); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
  printf '%s' "$REQ" >&"$fd" || true
  IDLE_FDS+=("$fd")
done
sleep 1
wrk -t1 -c4 -d"${SECS}s" --latency "$URL/healthz" >"$WORK/h2.txt"
echo -n "   "; summary "$WORK/h2.txt"
echo -n "   memory: "; mem
