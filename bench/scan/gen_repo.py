"""Generate a deterministic N-commit git repository for scanner benchmarks (via `git fast-import`).

Profiles:

- `light` (the default): a busy service repository with small commits: ~400 source files of 20-200 short
  lines, every commit rewrites a few lines of one to three files.
- `heavy`: larger files and more diff text per commit: 600 files of 40-400 lines, one to five files changed
  per commit, each with 1-8 lines rewritten and 1-12 inserted (a block dropped when a file outgrows 400
  lines). It makes the peers 2-2.5x slower than on `light`.
- `bulk` and `xl`: `heavy` with two and four times the rewritten and inserted lines per changed file: more
  diff text per commit, about the same blob content (files keep their size).
- `xxl`: `xl` with one to ten files changed per commit, the profile that reproduces the peer figures of
  issue 5's repository (betterleaks about 15 s; see docs/performance.md).

In all, now and then a file is added or deleted, and about 1% of commits add a labelled secret (drawn from
the scanner's own corpus generator), some removed again later. The result is repacked (`git repack -adf`)
like a fresh clone. A `labels.jsonl` next to the repository lists every planted secret for accuracy
measurements.

    python bench/scan/gen_repo.py /tmp/bench-repo --commits 20000
    python bench/scan/gen_repo.py /tmp/bench-heavy --commits 20000 --profile heavy
    python bench/scan/gen_repo.py /tmp/bench-bulk --commits 20000 --profile bulk
    python bench/scan/gen_repo.py /tmp/bench-xxl --commits 20000 --profile xxl
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "scanner"))

import scan_corpus

from strongroom.scanner.detectors import DETECTORS

WORDS = (
    "user", "order", "invoice", "account", "session", "cache", "queue", "worker", "handler", "request",
    "response", "config", "client", "server", "payment", "report", "metric", "event", "stream", "record",
    "index", "table", "column", "value", "result", "error", "status", "item",
)
EXTS = (".py", ".go", ".ts", ".yaml", ".md", ".json", ".sh")


@dataclass(frozen=True)
class Profile:
    files: int = 400
    lines: tuple[int, int] = (20, 200)
    files_per_commit: tuple[int, int] = (1, 3)
    rewrites: tuple[int, int] = (1, 4)  # lines rewritten per changed file
    inserts: tuple[int, int] = (0, 0)  # lines inserted per changed file (a block dropped when over size)


PROFILES = {
    "light": Profile(),
    "heavy": Profile(files=600, lines=(40, 400), files_per_commit=(1, 5), rewrites=(1, 8), inserts=(1, 12)),
    "bulk": Profile(files=600, lines=(40, 400), files_per_commit=(1, 5), rewrites=(1, 16), inserts=(1, 24)),
    "xl": Profile(files=600, lines=(40, 400), files_per_commit=(1, 5), rewrites=(1, 32), inserts=(1, 48)),
    "xxl": Profile(files=600, lines=(40, 400), files_per_commit=(1, 10), rewrites=(1, 32), inserts=(1, 48)),
}


def code_line(rng: random.Random) -> str:
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    forms = (
        f"    {a}_{b} = get_{c}({a}, timeout={rng.randint(1, 300)})",
        f"    if {a}.{b} is None: raise {c.title()}Error('{a} missing')",
        f"def {a}_{b}_{c}(self, {a}: {b.title()}) -> {c.title()}:",
        f"    # {a} {b} {c}: keep the {b} in sync with the {c}",
        f"    log.info('{a} %s {b} %d', {c}.id, len({b}s))",
        f"    return [{a} for {a} in self.{b}s if {a}.{c} > {rng.randint(0, 99)}]",
        f"{a}_{b}: {rng.choice(['true', 'false', str(rng.randint(1, 9999))])}",
    )
    return rng.choice(forms)


def generate(out: Path, commits: int, seed: int, profile: Profile = PROFILES["light"]) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    files: dict[str, list[str]] = {}
    for i in range(profile.files):
        path = f"{rng.choice(['svc', 'lib', 'api', 'ops'])}/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{i}" \
               f"{rng.choice(EXTS)}"
        files[path] = [code_line(rng) for _ in range(rng.randint(*profile.lines))]
    rules = [r for r in DETECTORS if r.id != "kubernetes-secret"]
    labels = []
    planted: list[tuple[str, int]] = []
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=out, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    write = proc.stdin.write

    def blob_cmd(path: str) -> bytes:
        data = ("\n".join(files[path]) + "\n").encode()
        return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

    for n in range(commits):
        when = 1_600_000_000 + n * 600
        changes: list[bytes] = []
        if n == 0:
            changes = [blob_cmd(p) for p in files]
        else:
            for _ in range(rng.randint(*profile.files_per_commit)):
                path = rng.choice(list(files))
                body = files[path]
                for _ in range(rng.randint(*profile.rewrites)):
                    body[rng.randrange(len(body))] = code_line(rng)
                if profile.inserts[1]:
                    at = rng.randrange(len(body) + 1)
                    body[at:at] = [code_line(rng) for _ in range(rng.randint(*profile.inserts))]
                    excess = len(body) - profile.lines[1]
                    if excess > 0:  # keep files within the profile's size: drop a block elsewhere
                        at = rng.randrange(len(body) - excess + 1)
                        del body[at: at + excess]
                changes.append(blob_cmd(path))
            if rng.random() < 0.01:
                rule = rng.choice(rules)
                value = scan_corpus.value_for(rule, rng)
                path, text = rng.choice(scan_corpus.embeddings(rule, value, rng))
                path = f"conf/{n}/{path}"
                files[path] = text.rstrip("\n").split("\n")
                changes.append(blob_cmd(path))
                labels.append({"rule_id": rule.id, "file": path, "secret": value, "commit_index": n})
                planted.append((path, n))
            if planted and rng.random() < 0.005:
                path, _ = planted.pop(rng.randrange(len(planted)))
                del files[path]
                changes.append(f"D {path}\n".encode())
        message = f"change {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}\n".encode()
        write(f"commit refs/heads/main\nmark :{n + 1}\n".encode())
        write(f"author Dev {n % 17} <dev{n % 17}@example.net> {when} +0000\n".encode())
        write(f"committer Dev {n % 17} <dev{n % 17}@example.net> {when} +0000\n".encode())
        write(f"data {len(message)}\n".encode() + message)
        if n:
            write(f"from :{n}\n".encode())
        write(b"".join(changes))
        write(b"\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "main"], check=True)
    subprocess.run(["git", "-C", str(out), "repack", "-q", "-a", "-d", "-f"], check=True)  # packed like a clone
    (out.parent / f"{out.name}.labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="light")
    args = parser.parse_args()
    generate(args.out, args.commits, args.seed, PROFILES[args.profile])


if __name__ == "__main__":
    main()
