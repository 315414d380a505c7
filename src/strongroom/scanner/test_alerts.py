import pytest

from strongroom.scanner.alerts import MAX_LISTED, send_webhook, webhook_payload
from strongroom.scanner.conftest import Recorder
from strongroom.scanner.errors import WebhookError
from strongroom.scanner.scan import Finding

SECRET = "Zq8#rT2vLm9xWk4pQz8vLm2x"


def _finding(i: int = 1) -> Finding:
    return Finding("generic-password", "d", f"f{i}.py", i, i, 1, 2, SECRET, f'pw="{SECRET}"', 4.0, commit="ab" * 20)


def test_webhook_posts_slack_json_without_secrets(http_recorder: Recorder) -> None:
    send_webhook(http_recorder.url + "/hook", [_finding()], source="git .")
    [(path, headers, body)] = http_recorder.requests
    assert path == "/hook" and headers["Content-Type"] == "application/json"
    assert isinstance(body, dict)
    assert "1 secret(s)" in body["text"] and body["blocks"][0]["type"] == "header"
    assert SECRET not in str(body)


def test_long_lists_are_truncated() -> None:
    payload = webhook_payload([_finding(i) for i in range(MAX_LISTED + 5)], "dir")
    assert "and 5 more" in payload["blocks"][1]["text"]["text"]


def test_webhook_failure(http_recorder: Recorder) -> None:
    http_recorder.status = 500
    with pytest.raises(WebhookError):
        send_webhook(http_recorder.url, [_finding()], source="x")


def test_rotation_outcomes_are_part_of_the_alert() -> None:
    from dataclasses import replace

    from strongroom.scanner.rotate import Action

    found = replace(_finding(), managed="secret/app (version 2)")
    actions = [Action("secret/app", "version 3 written, marked compromised", True),
               Action("token at f1.py:1", "not revoked: the server said 'bad token'", False)]
    payload = webhook_payload([found], "git .", actions)
    text = payload["blocks"][-1]["text"]["text"]
    assert text.startswith("*Rotation*") and "✔ secret/app: version 3 written" in text and "✘ token at f1.py:1" in text
    assert payload["actions"][1] == {"target": "token at f1.py:1", "outcome": actions[1].outcome, "done": False}
    assert payload["findings"][0]["managed"] == "secret/app (version 2)" and SECRET not in str(payload)
    assert "actions" not in webhook_payload([found], "git .")  # nothing rotated: no section
