#!/usr/bin/env python3
"""KMS data plane, Strongroom against moto's KMS server, side by side with wrk.

A SigV4 request is deterministic for a fixed timestamp, so each case is signed once with botocore right before
its timed run and replayed byte for byte by wrk (replay.lua): moto ignores signatures, Strongroom accepts one
within its freshness window (5 minutes by default; a run lasts seconds). Rounds alternate which server goes
first. Both servers run at once on loopback; Strongroom on SQLite with `-workers` processes, moto as
`moto_server` (single process, threaded). Server CPU is summed over the process tree.

    python bench/kms/bench.py --moto /tmp/moto-venv/bin/moto_server [--rounds 3] [--duration 10]

Prints a markdown table (medians over rounds, ratio = Strongroom / moto) and writes raw.tsv under --out.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from proctree import tree_cpu_ms  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REGION = "us-east-1"
CONTENT_TYPE = "application/x-amz-json-1.1"
POLICY = 'path "kms/*" { capabilities = ["create", "read", "update", "list"] }'
CASES = {
    "Encrypt": lambda key: {"KeyId": key, "Plaintext": base64.b64encode(os.urandom(64)).decode()},
    "GenerateDataKey": lambda key: {"KeyId": key, "KeySpec": "AES_256"},
}


def vault(addr: str, token: str, method: str, path: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{addr}/v1/{path}", data=data, method=method,
                                 headers={"X-Vault-Token": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
    return json.loads(raw) if raw.strip() else {}


def signed(addr: str, creds: Credentials, target: str, body: dict[str, object]) -> str:
    """The request file for replay.lua: request line, headers (Host included), blank line, body."""
    payload = json.dumps(body, separators=(",", ":"))
    request = AWSRequest(method="POST", url=addr + "/", data=payload.encode(),
                         headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": f"TrentService.{target}"})
    SigV4Auth(creds, "kms", REGION).add_auth(request)
    headers = {"Host": addr.split("://", 1)[1], **{k: v for k, v in request.headers.items()}}
    return "POST /\n" + "".join(f"{k}: {v}\n" for k, v in headers.items()) + "\n" + payload


def send_once(addr: str, text: str) -> int:
    """Send a request file once (checks it is accepted before wrk replays it)."""
    head, body = text.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    req = urllib.request.Request(addr + "/", data=body.encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        sys.stderr.write(f"{addr}: HTTP {err.code}: {err.read()[:300]!r}\n")
        return int(err.code)


def create_key(addr: str, creds: Credentials) -> str:
    text = signed(addr, creds, "CreateKey", {"Description": "bench"})
    head, body = text.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    req = urllib.request.Request(addr + "/", data=body.encode(), method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return str(json.loads(resp.read())["KeyMetadata"]["KeyId"])


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, marker: str | None = None) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')}")
        if marker is None or marker in log.read_text(errors="replace"):
            try:
                urllib.request.urlopen(url, timeout=1).read()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                pass
        time.sleep(0.2)
    raise SystemExit(f"server did not start: {log}")


def start_servers(args: argparse.Namespace, work: Path) -> dict[str, tuple[str, subprocess.Popen[bytes]]]:
    sr_log, moto_log = work / "strongroom.log", work / "moto.log"
    sr = subprocess.Popen(
        [str(ROOT / ".venv/bin/strongroom"), "server", "-dev", "-dev-storage=sqlite",
         f"-dev-storage-path={work / 'sr' / 'data.db'}", f"-dev-listen-address=127.0.0.1:{args.sr_port}",
         "-dev-root-token-id=bench-root", f"-workers={args.workers}"],
        stdout=sr_log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    moto = subprocess.Popen([args.moto, "-H", "127.0.0.1", "-p", str(args.moto_port)],
                            stdout=moto_log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    sr_addr, moto_addr = f"http://127.0.0.1:{args.sr_port}", f"http://127.0.0.1:{args.moto_port}"
    wait_for(sr_addr + "/v1/sys/health", sr, sr_log, "server started")
    wait_for(moto_addr + "/moto-api/", moto, moto_log)
    return {"strongroom": (sr_addr, sr), "moto": (moto_addr, moto)}


def run_wrk(addr: str, request: Path, case: str, label: str, duration: str, result: Path) -> None:
    env = {**os.environ, "BENCH_REQUEST": str(request), "BENCH_CASE": case, "BENCH_LABEL": label,
           "BENCH_RESULT_FILE": str(result)}
    subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}", "--timeout", "10s",
                    "-s", str(HERE / "replay.lua"), addr + "/"], env=env, check=True, stdout=subprocess.DEVNULL)


CONNECTIONS = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moto", required=True, help="path of moto_server (installed in a venv of its own)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--warmup", default="3s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sr-port", type=int, default=18910)
    parser.add_argument("--moto-port", type=int, default=18920)
    parser.add_argument("--out", default=str(ROOT / "bench-out" / time.strftime("kms-%Y%m%dT%H%M%S")))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kms-bench-"))
    servers = start_servers(args, work)
    try:
        sr_addr = servers["strongroom"][0]
        vault(sr_addr, "bench-root", "PUT", "sys/policy/kms-bench", {"policy": POLICY})
        issued = vault(sr_addr, "bench-root", "POST", "auth/sigv4/keys/bench", {"token_policies": "kms-bench"})
        data = issued["data"]
        assert isinstance(data, dict)
        creds = {"strongroom": Credentials(data["access_key_id"], data["secret_access_key"]),
                 "moto": Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}
        keys = {label: create_key(servers[label][0], creds[label]) for label in servers}
        raw = out / "raw.tsv"
        with raw.open("w") as fh:
            fh.write("round\tcase\tlabel\trps\tp50_ms\tp99_ms\trequests\tnon2xx\tsock_errors\tcpu_ms_per_req\t"
                     "server_cores\tloadavg\n")
        rows: list[dict[str, object]] = []
        for rnd in range(1, args.rounds + 1):
            for case, make_body in CASES.items():
                labels = ["moto", "strongroom"] if rnd % 2 else ["strongroom", "moto"]
                for label in labels:
                    addr, proc = servers[label]
                    request = work / f"{label}-{case}.req"
                    text = signed(addr, creds[label], case, make_body(keys[label]))
                    request.write_text(text)
                    status = send_once(addr, text)
                    if status != 200:
                        raise SystemExit(f"{label} {case}: HTTP {status}")
                    if rnd == 1 and args.warmup not in ("0", "0s"):
                        run_wrk(addr, request, case, label, args.warmup, work / "warmup.txt")
                    time.sleep(1)
                    result = work / "result.txt"
                    result.unlink(missing_ok=True)
                    cpu0, t0 = tree_cpu_ms(proc.pid), time.monotonic()
                    run_wrk(addr, request, case, label, args.duration, result)
                    cpu1, t1 = tree_cpu_ms(proc.pid), time.monotonic()
                    fields = result.read_text().split()
                    rps, p50, p99, _mean = (float(v) for v in fields[2:6])
                    requests, non2xx, sock = (int(v) for v in fields[6:9])
                    row = {"round": rnd, "case": case, "label": label, "rps": rps, "p50": p50, "p99": p99,
                           "requests": requests, "non2xx": non2xx, "sock": sock,
                           "cpu": (cpu1 - cpu0) / max(requests, 1), "cores": (cpu1 - cpu0) / 1000 / (t1 - t0),
                           "load": open("/proc/loadavg").read().split()[0]}
                    rows.append(row)
                    with raw.open("a") as fh:
                        fh.write("\t".join(str(v if not isinstance(v, float) else round(v, 3))
                                           for v in row.values()) + "\n")
                    print(f"round {rnd} {case:16} {label:10} {rps:9.1f} req/s  p99 {p99:7.2f} ms  "
                          f"cpu {row['cpu']:.3f} ms/req  errors {non2xx + sock}  load {row['load']}", flush=True)
        print_table(rows, args)
    finally:
        for _, proc in servers.values():
            proc.terminate()
        for _, proc in servers.values():
            proc.wait(timeout=30)


def print_table(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    def med(case: str, label: str, col: str) -> float:
        return statistics.median(float(r[col]) for r in rows if r["case"] == case and r["label"] == label)  # type: ignore[arg-type]

    def errors(case: str, label: str) -> int:
        return sum(int(r["non2xx"]) + int(r["sock"]) for r in rows if r["case"] == case and r["label"] == label)  # type: ignore[call-overload]

    print(f"\n{args.rounds} alternating rounds of {args.duration}, wrk 1 thread {CONNECTIONS} connections, "
          f"Strongroom -workers={args.workers}; medians")
    print("| case | moto req/s | Strongroom req/s | ratio | moto CPU ms/req | Strongroom CPU ms/req | errors (moto/sr) |")
    print("|---|---|---|---|---|---|---|")
    for case in CASES:
        moto, sr = med(case, "moto", "rps"), med(case, "strongroom", "rps")
        print(f"| {case} | {moto:,.0f} | {sr:,.0f} | {sr / moto:.2f}x | {med(case, 'moto', 'cpu'):.2f} | "
              f"{med(case, 'strongroom', 'cpu'):.2f} | {errors(case, 'moto')}/{errors(case, 'strongroom')} |")


if __name__ == "__main__":
    main()
