#!/usr/bin/env bash
# Time to revoke COUNT expired leases, Strongroom against OpenBao 2.7.2: both servers run at once on persistent
# storage (OpenBao: raft via the shared bench's openbao-raft.sh; Strongroom: SQLite, WORKERS processes) and
# bench/leases/expire.py runs against one, then the other (round 1 OpenBao first, round 2 Strongroom first, ...).
#   bench/leases/run.sh                      # 10,000 token leases of TTL 60 s, one round
#   ROUNDS=2 COUNT=10000 TTL=60 bench/leases/run.sh
#   BURST=1 bench/leases/run.sh              # every lease expires in the same second (expire.py --burst)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/servers.sh
rounds=${ROUNDS:-1}
count=${COUNT:-10000}
ttl=${TTL:-60}
start_servers 18820 18920

echo "# start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) count=$count ttl=${ttl}s workers=$workers"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="openbao strongroom"; else order="strongroom openbao"; fi
  for label in $order; do
    if [ "$label" = openbao ]; then addr=$bao_addr token=$bao_token; else addr=$sr_addr token=bench-root; fi
    VAULT_ADDR=$addr VAULT_TOKEN=$token python3 bench/leases/expire.py --count "$count" --ttl "$ttl" --label "$label" ${BURST:+--burst}
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
