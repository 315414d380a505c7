# Sourced by the side-by-side benchmarks (bench/api, bench/auth, bench/leases) from the repository root: sets
# root, shared, workers and a scratch dir `work`, and defines start_servers.
root=$PWD
shared=${SHARED:-$root/../shared}
workers=${WORKERS:-2}
work=$(mktemp -d)
[ -x .peers/bin/bao ] || "$shared/peers/install.sh" .peers >/dev/null
[ -x .venv/bin/strongroom ] || { python3 -m venv .venv && .venv/bin/pip install -q -e .; }

# start_servers BAO_PORT SR_PORT [PREFIX...]: OpenBao 2.7.2 on raft (the shared bench's openbao-raft.sh) and
# Strongroom on SQLite with $workers processes (root token bench-root), both running at once; PREFIX goes before
# the Strongroom command (such as `env PYTHONPATH=...`). Sets bao_addr, bao_token, bao_pid, sr_addr, sr_pid; both
# are stopped and `work` removed on exit.
start_servers() {
  local bao_port=$1 sr_port=$2
  shift 2
  bao_pid="" sr_pid=""
  trap 'kill $bao_pid $sr_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
  read -r bao_addr bao_token bao_pid < <("$shared/bench/openbao-raft.sh" .peers/bin/bao "$bao_port" "$work/openbao" | tail -n 1)
  setsid "$@" .venv/bin/strongroom server -dev -dev-storage=sqlite -dev-storage-path="$work/strongroom/data.db" \
    -dev-listen-address="127.0.0.1:$sr_port" -dev-root-token-id=bench-root -workers="$workers" \
    >"$work/strongroom.log" 2>&1 &
  sr_pid=$!
  sr_addr=http://127.0.0.1:$sr_port
  until grep -qs "server started" "$work/strongroom.log"; do sleep 0.2; done
}
