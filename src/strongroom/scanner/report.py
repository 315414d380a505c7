"""Report writers: text, json, jsonl, sarif (2.1.0), junit, csv.

With `redact`, secrets are left out of every format (JSON omits the `secret` key) and masked in lines.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

from strongroom.scanner.rule import Rule
from strongroom.scanner.scan import Finding

FORMATS = ("text", "json", "jsonl", "sarif", "junit", "csv")
TOOL_NAME = "strongroom-scan"
TOOL_URI = "https://github.com/strongroom/strongroom"
MASK = "REDACTED"


def mask(secret: str) -> str:
    """Redacted form of a secret for humans: a short prefix then a mask (only for long secrets)."""
    return f"{secret[:4]}…{MASK}" if len(secret) >= 20 else MASK


def _line(finding: Finding, redact: bool) -> str:
    if not redact:
        return finding.line
    line = finding.line.replace(finding.secret, MASK)
    return line if finding.secret not in line else MASK


def finding_dict(finding: Finding, redact: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "description": finding.description,
        "file": finding.file,
        "start_line": finding.start_line,
        "end_line": finding.end_line,
        "start_column": finding.start_column,
        "end_column": finding.end_column,
        "commit": finding.commit,
        "author": finding.author,
        "email": finding.email,
        "date": finding.date,
        "message": finding.message,
        "entropy": finding.entropy,
        "encoding": finding.encoding,
        "fingerprint": finding.fingerprint,
        "line": _line(finding, redact),
    }
    if finding.managed:
        data["managed"] = finding.managed
    if not redact:
        data["secret"] = finding.secret
    return data


def render_json(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule]) -> str:
    return json.dumps([finding_dict(f, redact) for f in findings], indent=2) + "\n"


def render_jsonl(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule]) -> str:
    return "".join(json.dumps(finding_dict(f, redact)) + "\n" for f in findings)


def render_csv(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule]) -> str:
    out = io.StringIO()
    columns = ["rule_id", "file", "start_line", "end_line", "commit", "author", "date", "fingerprint"]
    if not redact:
        columns.append("secret")
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for finding in findings:
        writer.writerow(finding_dict(finding, redact))
    return out.getvalue()


def render_text(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule], colour: bool = False) -> str:
    red, dim, bold, reset = ("\x1b[31m", "\x1b[2m", "\x1b[1m", "\x1b[0m") if colour else ("", "", "", "")
    blocks = []
    for f in findings:
        where = f"{f.file}:{f.start_line}"
        lines = [
            f"{bold}{red}{f.rule_id}{reset} {f.description}",
            f"  file:        {where}",
            f"  secret:      {mask(f.secret)}",  # text output always masks; use json for the value
            f"  fingerprint: {f.fingerprint}",
        ]
        if f.encoding:
            lines.append(f"  encoding:    {f.encoding}")
        if f.commit:
            lines.append(f"  commit:      {f.commit[:12]} {f.author} <{f.email}> {f.date}")
        if f.managed:
            lines.append(f"  managed:     {f.managed}")
        lines.append(f"  {dim}{_line(f, True)[:200]}{reset}")
        blocks.append("\n".join(lines))
    summary = f"{len(findings)} finding(s)" if findings else "no leaks found"
    return "\n\n".join([*blocks, summary]) + "\n"


def render_junit(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule]) -> str:
    from xml.sax.saxutils import escape, quoteattr  # here: it imports urllib.request (13 ms at every start)

    cases = []
    for f in findings:
        name = quoteattr(f"{f.rule_id} {f.file}:{f.start_line}")
        body = escape(f"{f.description} in {f.file}:{f.start_line} commit={f.commit or '-'} fp={f.fingerprint}")
        cases.append(
            f"    <testcase classname={quoteattr(f.rule_id)} name={name}>\n"
            f"      <failure message={quoteattr(f.description)} type=\"secret\">{body}</failure>\n"
            "    </testcase>"
        )
    if not findings:
        cases.append('    <testcase classname="strongroom-scan" name="no leaks found"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="{TOOL_NAME}" tests="{max(len(findings), 1)}" failures="{len(findings)}">\n'
        f'  <testsuite name="{TOOL_NAME}" tests="{max(len(findings), 1)}" failures="{len(findings)}">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


def render_sarif(findings: Sequence[Finding], redact: bool, rules: Sequence[Rule]) -> str:
    used = {f.rule_id for f in findings}
    described = [r for r in rules if r.id in used]
    index = {r.id: i for i, r in enumerate(described)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index.get(f.rule_id, 0),
            "level": "error",
            "message": {"text": f"{f.description} found in {f.file}" + ("" if redact else f": {f.secret}")},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": urllib.parse.quote(f.file or "stdin")},
                    "region": {
                        "startLine": f.start_line,
                        "endLine": f.end_line,
                        "startColumn": max(f.start_column, 1),
                        "endColumn": max(f.end_column + 1, 1),
                        "snippet": {"text": _line(f, redact)},
                    },
                }
            }],
            "partialFingerprints": {"strongroomFingerprint/v1": f.fingerprint},
        }
        if f.commit:
            result["properties"] = {"commitSha": f.commit, "author": f.author, "email": f.email, "date": f.date}
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "informationUri": TOOL_URI,
                "semanticVersion": "0.1.0",
                "rules": [
                    {"id": r.id, "name": r.id, "shortDescription": {"text": r.description},
                     "properties": {"tags": ["security", "secret", r.family]}}
                    for r in described
                ],
            }},
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Sequence[Finding], bool, Sequence[Rule]], str]] = {
    "text": render_text,
    "json": render_json,
    "jsonl": render_jsonl,
    "sarif": render_sarif,
    "junit": render_junit,
    "csv": render_csv,
}


def render(fmt: str, findings: Sequence[Finding], *, redact: bool, rules: Sequence[Rule], colour: bool = False) -> str:
    if fmt == "text":
        return render_text(findings, redact, rules, colour)
    return RENDERERS[fmt](findings, redact, rules)
