#!/usr/bin/env bash
# Strongroom against OpenBao 2.7.2 with the shared wrk benchmark (../../../shared/bench), side by side:
# both servers run at once on persistent storage (OpenBao: raft; Strongroom: SQLite, WORKERS processes) and
# the rounds alternate between them, so machine noise hits both alike. Prints the median table with ratios.
#   bench/api/run.sh                    # 3 rounds of every case
#   ROUNDS=5 BENCH_CASES="kv_read kv_write token_lookup_self" bench/api/run.sh
# Needs wrk (apt-get install wrk); installs the OpenBao peer into .peers/ on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
shared=${SHARED:-$root/../shared}
rounds=${ROUNDS:-3}
workers=${WORKERS:-2}
out=${OUT:-$root/bench-out/api-$(date +%Y%m%dT%H%M%S)}
work=$(mktemp -d)
mkdir -p "$out"
[ -x .peers/bin/bao ] || "$shared/peers/install.sh" .peers >/dev/null
[ -x .venv/bin/strongroom ] || { python3 -m venv .venv && .venv/bin/pip install -q -e .; }

cleanup() { kill "$bao_pid" "$sr_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

read -r bao_addr bao_token bao_pid < <("$shared/bench/openbao-raft.sh" .peers/bin/bao 18800 "$work/openbao" | tail -n 1)
setsid .venv/bin/strongroom server -dev -dev-storage=sqlite -dev-storage-path="$work/strongroom/data.db" \
  -dev-listen-address=127.0.0.1:18900 -dev-root-token-id=bench-root -workers="$workers" >"$work/strongroom.log" 2>&1 &
sr_pid=$!
until grep -q "server started" "$work/strongroom.log"; do sleep 0.2; done

for round in $(seq "$rounds"); do
  for label in openbao strongroom; do
    if [ "$label" = openbao ]; then addr=$bao_addr token=$bao_token pid=$bao_pid; else addr=http://127.0.0.1:18900 token=bench-root pid=$sr_pid; fi
    VAULT_ADDR=$addr VAULT_TOKEN=$token BENCH_LABEL=$label BENCH_SERVER_PID=$pid BENCH_REPS=1 \
      BENCH_OUT="$out/$label/round$round" "$shared/bench/vault_api_bench.sh" >/dev/null
  done
done
python3 "$shared/bench/aggregate.py" "$out"
