#!/usr/bin/env bash
# Strongroom against OpenBao 2.7.2 with the shared wrk benchmark (../../../shared/bench), side by side:
# both servers run at once on persistent storage (OpenBao: raft; Strongroom: SQLite, WORKERS processes) and
# each case alternates between them (round 1: OpenBao first, round 2: Strongroom first, ...), so machine noise
# hits both alike. Prints the median table with ratios, then CPU per request summed over each server's
# process tree (the shared bench's cpu column reads one PID, which for Strongroom is the relay parent).
#   bench/api/run.sh                    # 3 rounds of every case
#   ROUNDS=5 BENCH_CASES="kv_read kv_write token_lookup_self" bench/api/run.sh
# Needs wrk (apt-get install wrk); installs the OpenBao peer into .peers/ on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/servers.sh
rounds=${ROUNDS:-3}
cases=${BENCH_CASES:-"kv_read kv_write transit_encrypt transit_batch_encrypt transit_decrypt token_lookup_self userpass_login"}
out=${OUT:-$root/bench-out/api-$(date +%Y%m%dT%H%M%S)}
mkdir -p "$out"
start_servers 18800 18900

one() { # label case round [duration] [outdir]
  local label=$1 name=$2 round=$3 addr token pid c0 c1
  if [ "$label" = openbao ]; then addr=$bao_addr token=$bao_token pid=$bao_pid; else addr=$sr_addr token=bench-root pid=$sr_pid; fi
  c0=$(python3 bench/proctree.py "$pid")
  VAULT_ADDR=$addr VAULT_TOKEN=$token BENCH_LABEL=$label BENCH_SERVER_PID=$pid BENCH_REPS=1 BENCH_WARMUP=0 \
    BENCH_CASES=$name BENCH_DURATION=${4:-${BENCH_DURATION:-10s}} BENCH_OUT="${5:-$out/$label/round$round-$name}" \
    "$shared/bench/vault_api_bench.sh" >/dev/null
  c1=$(python3 bench/proctree.py "$pid")
  [ -n "${5:-}" ] || echo "$label $name $round $((c1 - c0)) $(cut -d' ' -f1 /proc/loadavg)" >>"$out/tree_cpu.txt"
}

echo "# start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) workers=$workers" >>"$out/tree_cpu.txt"
for name in $cases; do  # warm-up, not recorded
  for label in openbao strongroom; do one "$label" "$name" 0 3s "$work/warmup-$label-$name"; done
done
for round in $(seq "$rounds"); do
  for name in $cases; do
    if [ $((round % 2)) = 1 ]; then order="openbao strongroom"; else order="strongroom openbao"; fi
    for label in $order; do one "$label" "$name" "$round"; done
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/tree_cpu.txt"
python3 "$shared/bench/aggregate.py" "$out"
python3 bench/api/tree_cpu.py "$out"
