#!/usr/bin/env bash
# Login throughput, Strongroom against OpenBao 2.7.2 side by side: userpass, approle and JWT (a locally generated
# RSA key, jwt_validation_pubkeys on both). Both servers run at once on persistent storage (OpenBao: raft via the
# shared bench's openbao-raft.sh; Strongroom: SQLite, WORKERS processes) and every case alternates between them
# (round 1 OpenBao first, round 2 Strongroom first, ...). wrk sends one static request (the shared bench's
# vault_bench.lua); each login mints a service token with a lease, and the tokens of a run are revoked with
# sys/leases/revoke-prefix outside the timed window so state does not grow from run to run.
#   bench/auth/run.sh                        # 3 rounds x 3 cases x 10 s per server
#   ROUNDS=5 CASES="approle_login jwt_login" DURATION=5s bench/auth/run.sh
# Prints the median table (logins/s, p50, p99, server CPU ms per login over the process tree) with ratios, and
# the hashing parameters of each server's userpass.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/servers.sh
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
conns=${CONNECTIONS:-16}
cases=${CASES:-"userpass_login approle_login jwt_login"}
out=${OUT:-$root/bench-out/auth-$(date +%Y%m%dT%H%M%S)}
mkdir -p "$out"
py=$root/.venv/bin/python
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
# ARGON2="MEMORY_KIB,ITERATIONS,LANES" runs Strongroom's userpass at another Argon2id cost (to compare at the
# hashing cost OpenBao's bcrypt spends): a sitecustomize on PYTHONPATH, read by the server and by every spawned
# worker, replaces the default parameters before the userpass backend is imported. Bench only.
hook=()
if [ -n "${ARGON2:-}" ]; then
  IFS=, read -r a2m a2t a2p <<<"$ARGON2"
  mkdir -p "$work/hook"
  printf 'import strongroom.crypto.passwords as p\np.DEFAULT_PARAMS = p.Argon2Params(memory_kib=%d, iterations=%d, lanes=%d)\n' \
    "$a2m" "$a2t" "$a2p" >"$work/hook/sitecustomize.py"
  hook=(env "PYTHONPATH=$work/hook")
fi
start_servers 18810 18910 "${hook[@]}"

addr_of() { if [ "$1" = openbao ]; then echo "$bao_addr"; else echo "$sr_addr"; fi; }
token_of() { if [ "$1" = openbao ]; then echo "$bao_token"; else echo bench-root; fi; }
pid_of() { if [ "$1" = openbao ]; then echo "$bao_pid"; else echo "$sr_pid"; fi; }
for label in openbao strongroom; do
  VAULT_ADDR=$(addr_of $label) VAULT_TOKEN=$(token_of $label) "$py" bench/auth/setup.py "$work/$label" "$work/jwt-key.pem"
done

spec() { # case -> "path body mount"
  case "$1" in
    userpass_login) echo "/v1/auth/userpass/login/bench-user userpass_login.json userpass" ;;
    approle_login)  echo "/v1/auth/approle/login approle_login.json approle" ;;
    jwt_login)      echo "/v1/auth/jwt/login jwt_login.json jwt" ;;
    *) echo "unknown case $1" >&2; return 1 ;;
  esac
}

one() { # label case round duration  -> appends a result line unless round is "warmup"
  local label=$1 name=$2 round=$3 dur=$4 path body mount addr pid c0 c1 t0 t1 line code revoke_ms
  read -r path body mount < <(spec "$name")
  addr=$(addr_of "$label") pid=$(pid_of "$label")
  : >"$work/result"
  c0=$("$py" bench/proctree.py "$pid")
  BENCH_CASE=$name BENCH_REP=$round BENCH_ITEMS=1 BENCH_METHOD=POST BENCH_BODY_FILE="$work/$label/$body" \
    BENCH_TOKEN= BENCH_RESULT_FILE="$work/result" \
    wrk -t1 -c"$conns" -d"$dur" --timeout 10s -s "$shared/bench/vault_bench.lua" "$addr$path" \
    >"$out/wrk-$label-$name-$round.log" 2>&1
  c1=$("$py" bench/proctree.py "$pid")
  line=$(cat "$work/result")
  t0=$(date +%s%N)
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Vault-Token: $(token_of "$label")" \
    "$addr/v1/sys/leases/revoke-prefix/auth/$mount/login" || true)
  t1=$(date +%s%N)
  revoke_ms=$(( (t1 - t0) / 1000000 ))
  [ "$round" = warmup ] && return 0
  # label case round rps p50_ms p99_ms requests non2xx sock_errors cpu_ms_per_req load revoke_http revoke_ms
  awk -v l="$label" -v c0="$c0" -v c1="$c1" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v rc="$code" -v rm="$revoke_ms" \
    '{ printf "%s %s %s %s %s %s %s %s %s %.3f %s %s %s\n", l, $1, $2, $3, $5, $6, $8, $9, $10,
       ($8 > 0 ? (c1 - c0) / $8 : 0), load, rc, rm }' <<<"$line" | tee -a "$out/raw.txt"
}

{
  echo "# start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) workers=$workers wrk -t1 -c$conns -d$duration rounds=$rounds"
  echo "# openbao $("$root/.peers/bin/bao" version) userpass hashing: bcrypt cost 10 (bcrypt.DefaultCost)"
  echo "# strongroom userpass hashing: $("${hook[@]}" "$py" bench/auth/hashcost.py)"
} | tee "$out/meta.txt"
for name in $cases; do  # warm-up, not recorded
  for label in openbao strongroom; do one "$label" "$name" warmup 3s; done
done
for round in $(seq "$rounds"); do
  for name in $cases; do
    if [ $((round % 2)) = 1 ]; then order="openbao strongroom"; else order="strongroom openbao"; fi
    for label in $order; do one "$label" "$name" "$round" "$duration"; done
  done
done
echo "# end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/meta.txt"
"$py" bench/auth/report.py "$out/raw.txt" | tee "$out/summary.txt"
