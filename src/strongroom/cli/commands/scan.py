"""`strongroom scan`: find leaked secrets in git history, a directory, staged changes or standard input.

Exit codes: 0 no findings, 1 findings, 2 error (unreadable repository, bad config, server unreachable).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from strongroom.scanner import api

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("scan", help="Find leaked secrets in git history, files or stdin.",
                                   description=__doc__)
    sources = parser.add_subparsers(title="sources", metavar="SOURCE")

    git = sources.add_parser("git", help="Every commit reachable from all refs (each blob scanned once).")
    git.add_argument("path", nargs="?", default=".")
    git.add_argument("--since", help="Only commits after this date (YYYY-MM-DD or ISO 8601).")
    git.add_argument("--branch", help="Only commits reachable from this branch or revision.")
    git.add_argument("--log-opts", dest="revisions", metavar="RANGE", help="A revision or range such as main..HEAD.")
    _common(git)
    git.set_defaults(handler=_handle, source="git")

    directory = sources.add_parser("dir", help="Files in a directory (working tree).")
    directory.add_argument("path")
    directory.add_argument("--gitignore", action="store_true", help="Skip files ignored by .gitignore.")
    _common(directory)
    directory.set_defaults(handler=_handle, source="dir")

    staged = sources.add_parser("staged", help="Lines added in the git index (pre-commit).")
    staged.add_argument("path", nargs="?", default=".")
    _common(staged)
    staged.set_defaults(handler=_handle, source="staged")

    stdin = sources.add_parser("stdin", help="Standard input.")
    stdin.add_argument("--label", default="stdin", help="File name used in the report.")
    _common(stdin)
    stdin.set_defaults(handler=_handle, source="stdin")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="TOML config (ours or a .gitleaks.toml). Default: "
                   ".strongroom-scan.toml, then .gitleaks.toml in the scanned directory.")
    p.add_argument("--no-default-config", action="store_true", help="Do not look for config files.")
    p.add_argument("--report-format", "-f", choices=api.FORMATS, default="text")
    p.add_argument("--report-path", "-r", type=Path, help="Write the report here (default: stdout).")
    p.add_argument("--redact", action="store_true", help="Leave secrets out of the report.")
    p.add_argument("--baseline", type=Path, help="Ignore findings accepted in this baseline file.")
    p.add_argument("--write-baseline", type=Path, help="Write all current findings to a baseline file.")
    p.add_argument("--threads", type=int, default=0,
                   help="Worker processes (default: one per CPU for full-history and directory scans, else 1).")
    p.add_argument("--max-target-megabytes", type=float, default=100.0, help="Skip larger files (0: no limit).")
    p.add_argument("--no-progress", action="store_true", help="Never draw the progress bar.")
    p.add_argument("--no-color", action="store_true")
    p.add_argument("--server", default=os.environ.get("STRONGROOM_ADDR"),
                   help="Check findings against the secrets this Strongroom server manages.")
    p.add_argument("--token", default=os.environ.get("STRONGROOM_TOKEN"), help="Token for --server.")
    p.add_argument("--rotate", action="store_true",
                   help="With --server: write a new version of each leaked KV v2 secret and mark it compromised, "
                        "and revoke leaked Strongroom tokens by accessor.")
    p.add_argument("--webhook", help="POST a Slack-compatible summary of findings to this URL.")


def _parse_since(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _handle(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except api.ScanError as exc:
        print(f"strongroom scan: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.rotate and not args.server:
        raise api.ScanError("--rotate needs --server (or STRONGROOM_ADDR) and a token allowed to act on the secrets")
    root = getattr(args, "path", ".") or "."
    config = api.find_config(root if args.source != "stdin" else ".", args.config, not args.no_default_config)
    detector = api.Detector(config)
    options: dict[str, Any] = {}
    if args.source == "git":
        try:
            options = {"since": _parse_since(args.since), "branch": args.branch, "revisions": args.revisions}
        except ValueError as exc:
            raise api.ScanError(f"bad --since: {exc}") from exc
    elif args.source == "dir":
        options = {"gitignore": args.gitignore}
    elif args.source == "stdin":
        options = {"label": args.label}
    max_bytes = int(args.max_target_megabytes * 1024 * 1024)
    progress = api.Progress.auto(not args.no_progress)
    if args.source == "git" and not any(options.values()):
        findings, _stats = api.scan_git_history(root, detector, threads=max(0, args.threads), max_bytes=max_bytes,
                                                progress=progress)
    else:
        targets = api.targets(args.source, root, detector, **options)
        threads = args.threads or ((os.cpu_count() or 1) if args.source == "dir" else 1)
        findings, _stats = api.run(detector, targets, threads=max(1, threads), max_bytes=max_bytes,
                                   progress=progress, processes=args.source == "dir")
    if args.write_baseline:
        api.write_baseline(args.write_baseline, findings)
    if args.baseline:
        findings = api.load_baseline(args.baseline).filter(findings)
    actions: list[api.Action] = []
    if args.server:
        findings, actions = api.check_managed(findings, args.server, args.token or "", rotate=args.rotate)
    colour = args.report_path is None and sys.stdout.isatty() and not args.no_color
    report = api.render(args.report_format, findings, redact=args.redact, rules=detector.rules, colour=colour)
    if args.report_path:
        args.report_path.write_text(report)
    else:
        sys.stdout.write(report)
    for action in actions:
        print(f"strongroom scan: rotate: {action.target}: {action.outcome}", file=sys.stderr)
    if args.webhook and findings:
        api.send_webhook(args.webhook, findings, source=f"{args.source} {root}", actions=actions)
    return EXIT_FINDINGS if findings else EXIT_CLEAN
