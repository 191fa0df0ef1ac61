#!/usr/bin/env bash
# The demand-matching API under concurrent load (bench/matching.md): `sinergi serve --demo` with
# SUPPLIERS generated businesses in Kabupaten Serang's registry, the UMKM officer's API token,
# then wrk on GET /api/v1/demands/{id}/matches (top 20 with reasons, as JSON) for SECONDS,
# each connection going round the demo's demands in turn.
#
# The load starts once the server says its background warm-up is over ("supplier indexes
# ready"): until then the registries' search and entity-resolution indexes are being built on
# the same two cores, which is a start-up cost, not the cost of a ranking.
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
SINERGI_DEMO_UMKM=$SUPPLIERS SINERGI_LOG=warn,sinergi=info "$BIN" serve --demo --bind 127.0.0.1:$PORT --data-dir "$DIR/data" > "$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
started=$(date +%s)
until curl -fs "$BASE/healthz" > /dev/null; do
  kill -0 $PID || { cat "$DIR/server.log"; exit 1; }
  sleep 2
done
echo "server up with the demo and $SUPPLIERS generated businesses after $(( $(date +%s) - started )) s"
until grep -q "supplier indexes ready" "$DIR/server.log"; do
  kill -0 $PID || { cat "$DIR/server.log"; exit 1; }
  sleep 2
done
echo "background warm-up (registry search, entity resolution, supplier index) over after $(( $(date +%s) - started )) s"
TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"umkm-officer@kabupaten-serang.demo.sinergi.id","password":"sinergi-demo","label":"bench"}' \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
IDS=$(curl -fs "$BASE/api/v1/demands" -H "authorization: Bearer $TOKEN" \
  | python3 -c 'import sys,json;print(" ".join(d["id"] for d in json.load(sys.stdin)))')
echo "demands: $IDS"
for id in $IDS; do
  curl -fs "$BASE/api/v1/demands/$id/matches" -H "authorization: Bearer $TOKEN" \
    -o /dev/null -w "first ranking of $id: %{time_total} s\n"
done
# Each request asks for the next demand's ranking.
cat > "$DIR/round.lua" <<LUA
local ids = {}
for id in string.gmatch("$IDS", "%S+") do ids[#ids + 1] = id end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/demands/" .. ids[(n % #ids) + 1] .. "/matches")
end
LUA
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$DIR/round.lua" -H "authorization: Bearer $TOKEN" "$BASE"
