"""Side-by-side history-scan benchmark: strongroom scan vs gitleaks vs betterleaks.

    /work/shared/peers/install.sh .peers             # gitleaks 8.30.1, betterleaks 2.0
    python bench/scan/gen_repo.py /tmp/bench-repo --commits 20000
    python bench/scan/run_bench.py /tmp/bench-repo --peers .peers --runs 3

For every tool: wall time and CPU time (user+sys of the whole process tree) over `--runs` rounds, then peak
memory in `--memory-runs` more (the largest sum of PSS over the process tree, sampled every 20 ms from /proc;
for a single process PSS is its RSS minus what it shares with others). Memory is sampled in runs of its own
because reading `smaps_rollup` walks each process's page tables: on a small machine the sampler takes a
share of a core from the tool it measures, the more so the more processes the tool runs. Accuracy is
measured against
the planted secrets in `<repo>.labels.jsonl`: a finding is a true positive when its secret overlaps a
planted value in the same file. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import strongroom


@dataclass
class Result:
    tool: str
    wall: float
    cpu: float
    peak_mb: float
    findings: list[tuple[str, str]]  # (file, secret)


def _tree_rss_kb(pid: int) -> int:
    """Proportional set size (PSS) summed over the process tree: shared pages (forked workers, mapped packs)
    are divided among the processes that share them instead of counted once per process as RSS would."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(cmd: list[str], cwd: Path, sample_memory: bool) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and, if `sample_memory`, peak PSS in MB (else 0) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - started
    done.set()
    if sample_memory:
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited with {code}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak / 1024


def _strongroom(repo: Path, out: Path) -> tuple[list[str], Path]:
    cmd = [sys.executable, "-m", "strongroom.cli.main", "scan", "git", str(repo), "-f", "json", "--no-progress",
           "--report-path", str(out)]
    return cmd, out


def _parse(tool: str, path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.read_text() or "[]")
    if tool == "strongroom":
        return [(f["file"], f["secret"]) for f in data]
    if tool == "gitleaks":
        return [(f["File"], f["Secret"]) for f in data or []]
    return [(f["location"]["path"], f["match"]["value"]) for f in data.get("findings") or []]


def run_tool(tool: str, repo: Path, peers: Path, work: Path, sample_memory: bool = False) -> Result:
    out = work / f"{tool}.json"
    if tool == "strongroom":
        cmd, _ = _strongroom(repo, out)
    elif tool == "gitleaks":
        cmd = [str(peers / "bin" / "gitleaks"), "git", str(repo), "--report-format", "json", "--report-path", str(out),
               "--no-banner"]
    else:
        cmd = [str(peers / "bin" / "betterleaks"), "git", str(repo), "-o", str(out), "--no-banner"]
    wall, cpu, peak = measure(cmd, repo, sample_memory)
    return Result(tool, wall, cpu, peak, _parse(tool, out))


def accuracy(findings: list[tuple[str, str]], labels: list[dict[str, str]]) -> tuple[float, float]:
    def hit(label: dict[str, str], finding: tuple[str, str]) -> bool:
        file, secret = finding
        value = label["secret"].replace("\\n", "\n")
        secret = secret.replace("\\n", "\n")
        return file == label["file"] and bool(secret) and (secret in value or value in secret)

    found = sum(any(hit(label, f) for f in findings) for label in labels)
    correct = sum(any(hit(label, f) for label in labels) for f in findings)
    recall = found / len(labels) if labels else 1.0
    precision = correct / len(findings) if findings else 1.0
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--peers", type=Path, default=Path(".peers"))
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (one run of each tool per round)")
    parser.add_argument("--memory-runs", type=int, default=1, help="rounds more, with memory sampled")
    parser.add_argument("--tools", default="strongroom,betterleaks,gitleaks")
    args = parser.parse_args()
    repo = args.repo.resolve()
    labels = [json.loads(line) for line in Path(f"{repo}.labels.jsonl").read_text().splitlines()]
    commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--all", "--count"], capture_output=True,
                             text=True, check=True).stdout.strip()
    tools = args.tools.split(",")
    if "strongroom" in tools:  # timed as installed: with bytecode, which an editable checkout may lack
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(strongroom.__file__).parent)],
                       check=True, stdout=subprocess.DEVNULL)
    runs: dict[str, list[Result]] = {tool: [] for tool in tools}
    sampled: dict[str, list[Result]] = {tool: [] for tool in tools}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):  # one run of each tool per round: a machine that speeds up or slows down
            for tool in tools:     # over the benchmark favours no tool
                runs[tool].append(run_tool(tool, repo, args.peers.resolve(), Path(tmp)))
        for _ in range(args.memory_runs):
            for tool in tools:
                sampled[tool].append(run_tool(tool, repo, args.peers.resolve(), Path(tmp), sample_memory=True))
    rows = []
    for tool in tools:
        precision, recall = accuracy(runs[tool][-1].findings, labels)
        rows.append((tool, min(r.wall for r in runs[tool]), statistics.median(r.wall for r in runs[tool]),
                     statistics.median(r.cpu for r in runs[tool]), max((r.peak_mb for r in sampled[tool]), default=0),
                     len(runs[tool][-1].findings), precision, recall))
    print(f"Repository: {commits} commits, {len(labels)} planted secrets; best/median of {args.runs} rounds, "
          f"peak memory of {args.memory_runs} more, {os.cpu_count()} CPUs.\n")
    print("| tool | wall best (s) | wall median (s) | CPU (s) | peak PSS (MB) | findings | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for tool, best, median, cpu, peak, count, precision, recall in rows:
        print(f"| {tool} | {best:.2f} | {median:.2f} | {cpu:.1f} | {peak:.0f} | {count} | {precision:.2f} | "
              f"{recall:.2f} |")
    if "strongroom" in runs:
        ours = rows[tools.index("strongroom")]
        for peer in (row for row in rows if row[0] != "strongroom"):
            print(f"\nstrongroom vs {peer[0]}: {peer[1] / ours[1]:.2f}x faster (best), "
                  f"{peer[2] / ours[2]:.2f}x (median)")


if __name__ == "__main__":
    main()
