#!/usr/bin/env bash
# Time to revoke COUNT expired leases, Strongroom against OpenBao 2.7.2: both servers run at once on persistent
# storage (OpenBao: raft via the shared bench's openbao-raft.sh; Strongroom: SQLite, WORKERS processes) and
# bench/leases/expire.py runs against one, then the other (round 1 OpenBao first, round 2 Strongroom first, ...).
#   bench/leases/run.sh                      # 10,000 token leases of TTL 60 s, one round
#   ROUNDS=2 COUNT=10000 TTL=60 bench/leases/run.sh
#   BURST=1 bench/leases/run.sh              # every lease expires in the same second (expire.py --burst)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
shared=${SHARED:-$root/../shared}
rounds=${ROUNDS:-1}
workers=${WORKERS:-2}
count=${COUNT:-10000}
ttl=${TTL:-60}
work=$(mktemp -d)
[ -x .peers/bin/bao ] || "$shared/peers/install.sh" .peers >/dev/null

cleanup() { kill "$bao_pid" "$sr_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

read -r bao_addr bao_token bao_pid < <("$shared/bench/openbao-raft.sh" .peers/bin/bao 18820 "$work/openbao" | tail -n 1)
setsid .venv/bin/strongroom server -dev -dev-storage=sqlite -dev-storage-path="$work/strongroom/data.db" \
  -dev-listen-address=127.0.0.1:18920 -dev-root-token-id=bench-root -workers="$workers" >"$work/strongroom.log" 2>&1 &
sr_pid=$!
until grep -qs "server started" "$work/strongroom.log"; do sleep 0.2; done

echo "# start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) count=$count ttl=${ttl}s workers=$workers"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="openbao strongroom"; else order="strongroom openbao"; fi
  for label in $order; do
    if [ "$label" = openbao ]; then addr=$bao_addr token=$bao_token; else addr=http://127.0.0.1:18920 token=bench-root; fi
    VAULT_ADDR=$addr VAULT_TOKEN=$token python3 bench/leases/expire.py --count "$count" --ttl "$ttl" --label "$label" ${BURST:+--burst}
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
