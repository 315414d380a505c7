"""Generate a deterministic N-commit git repository for scanner benchmarks (via `git fast-import`).

The history looks like a busy service repository: ~400 source files in nested directories, every commit
edits one to three files (rewriting a few lines), now and then adds or deletes a file, and about 1% of
commits add a labelled secret (drawn from the scanner's own corpus generator), half of them removed again
later. The result is repacked (`git repack -adf`) like a fresh clone. A `labels.jsonl` next to the
repository lists every planted secret for accuracy measurements.

    python bench/scan/gen_repo.py /tmp/bench-repo --commits 20000
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
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


def file_body(rng: random.Random, lines: int) -> list[str]:
    return [code_line(rng) for _ in range(lines)]


def generate(out: Path, commits: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    files: dict[str, list[str]] = {}
    for i in range(400):
        path = f"{rng.choice(['svc', 'lib', 'api', 'ops'])}/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{i}" \
               f"{rng.choice(EXTS)}"
        files[path] = file_body(rng, rng.randint(20, 200))
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
            for _ in range(rng.randint(1, 3)):
                path = rng.choice(list(files))
                body = files[path]
                for _ in range(rng.randint(1, 4)):
                    body[rng.randrange(len(body))] = code_line(rng)
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
    args = parser.parse_args()
    generate(args.out, args.commits, args.seed)


if __name__ == "__main__":
    main()
