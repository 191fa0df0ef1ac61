#!/usr/bin/env bash
# The demand-matching API under concurrent load (bench/matching.md): `sinergi serve --demo` with
# SUPPLIERS generated businesses in Kabupaten Serang's registry, the UMKM officer's API token,
# then wrk on GET /api/v1/demands/{id}/matches (top 20 with reasons, as JSON) for SECONDS.
#
#   SUPPLIERS=1000000 SINERGI_BIN=$CARGO_TARGET_DIR/debug/sinergi bench/matching-http.sh
set -euo pipefail
BIN=${SINERGI_BIN:?set SINERGI_BIN to the sinergi binary}
SUPPLIERS=${SUPPLIERS:-48000}
SECONDS_RUN=${SECONDS_RUN:-20}
CONNECTIONS=${CONNECTIONS:-16}
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/matching-http.XXXX)
BASE=http://127.0.0.1:$PORT
SINERGI_DEMO_UMKM=$SUPPLIERS SINERGI_LOG=warn "$BIN" serve --demo --bind 127.0.0.1:$PORT --data-dir "$DIR/data" > "$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
started=$(date +%s)
until curl -fs "$BASE/healthz" > /dev/null; do
  kill -0 $PID || { cat "$DIR/server.log"; exit 1; }
  sleep 2
done
echo "server up with the demo and $SUPPLIERS generated businesses after $(( $(date +%s) - started )) s"
TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"umkm-officer@kabupaten-serang.demo.sinergi.id","password":"sinergi-demo","label":"bench"}' \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
ID=$(curl -fs "$BASE/api/v1/demands" -H "authorization: Bearer $TOKEN" \
  | python3 -c 'import sys,json;print([d["id"] for d in json.load(sys.stdin) if d["title"].startswith("Telur ayam ras")][0])')
URL="$BASE/api/v1/demands/$ID/matches"
t0=$(date +%s.%N)
curl -fs "$URL" -H "authorization: Bearer $TOKEN" > "$DIR/first.json"
echo "first ranking (builds the supplier index from the store): $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s, $(python3 -c "import json;print(len(json.load(open('$DIR/first.json'))['suppliers']))") suppliers"
for i in 1 2 3; do curl -fs -o /dev/null "$URL" -H "authorization: Bearer $TOKEN"; done
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "authorization: Bearer $TOKEN" "$URL"
