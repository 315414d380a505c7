"""Webhook alert with a summary of findings, in Slack's incoming-webhook JSON (`text` plus `blocks`).

Secrets are never included: only rule, file, line, commit, fingerprint, where Strongroom keeps the value and
what --rotate did about it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import httpx

from strongroom.scanner.errors import WebhookError
from strongroom.scanner.rotate import Action
from strongroom.scanner.scan import Finding

MAX_LISTED = 20


def webhook_payload(findings: Sequence[Finding], source: str, actions: Sequence[Action] = ()) -> dict[str, Any]:
    """The alert; `actions` (what --rotate did) get a section of their own."""
    counts = Counter(f.rule_id for f in findings)
    headline = f":rotating_light: strongroom scan found {len(findings)} secret(s) in {source}"
    lines = [
        f"• `{f.rule_id}` {f.file}:{f.start_line}" + (f" ({f.commit[:12]})" if f.commit else "")
        + (f" — managed: {f.managed}" if f.managed else "")
        for f in findings[:MAX_LISTED]
    ]
    if len(findings) > MAX_LISTED:
        lines.append(f"… and {len(findings) - MAX_LISTED} more")
    by_rule = ", ".join(f"{rule}: {n}" for rule, n in counts.most_common())
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": headline[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:2900]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": by_rule[:2900] or "-"}]},
    ]
    if actions:
        done = "\n".join(f"{'✔' if a.done else '✘'} {a.target}: {a.outcome}" for a in actions)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*Rotation*\n{done}"[:2900]}})
    return {
        "text": f"{headline}\n{by_rule}",
        "blocks": blocks,
        "findings": [
            {"rule_id": f.rule_id, "file": f.file, "line": f.start_line, "commit": f.commit,
             "fingerprint": f.fingerprint, **({"managed": f.managed} if f.managed else {})}
            for f in findings
        ],
        **({"actions": [{"target": a.target, "outcome": a.outcome, "done": a.done} for a in actions]}
           if actions else {}),
    }


def send_webhook(url: str, findings: Sequence[Finding], *, source: str, actions: Sequence[Action] = (),
                 timeout: float = 10.0) -> None:
    try:
        response = httpx.post(url, json=webhook_payload(findings, source, actions), timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise WebhookError(f"webhook failed: {exc}") from exc
