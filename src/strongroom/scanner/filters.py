"""Noise filters applied to candidate secrets: entropy, placeholders and documentation examples, code."""

from __future__ import annotations

import math
import re
from collections import Counter

# Words that mark a value as an example, template or placeholder rather than a live secret.
PLACEHOLDER_WORDS = (
    "example", "sample", "dummy", "placeholder", "changeme", "change_me", "change-me", "your_", "your-",
    "yourkey", "yourtoken", "yoursecret", "redacted", "replace", "insert", "xxxxx", "*****", "....", "todo",
    "notreal", "not_real", "not-a-real", "fakefake", "secretkey", "mysecret", "mypassword", "password123",
    "passw0rd", "p@ssw0rd", "s3cr3t", "1234567", "abcdefg", "qwerty", "letmein", "hunter2", "lorem",
    "<", ">", "${", "{{", "}}", "%(", "$(", "#{", "@@",
)
_REFERENCE_RE = re.compile(
    r"^(?:\$[A-Za-z_]\w*|%[A-Za-z_]\w*%|\$\{?[A-Za-z_][\w.]*\}?|[A-Z][A-Z0-9_]{2,}|env\.\w+|vault:.*|"
    r"(?:secrets?|vars|env|inputs|steps)\.[\w.\-]+)$"
)
# Identifiers and expressions: snake_case/dotted names, function calls, attribute access, paths.
_CODE_RE = re.compile(
    r"^(?:[a-z_][a-z0-9_]*(?:[._\-][a-z0-9_]+)+|[A-Za-z_][\w.]*\(.*|[A-Za-z_]\w*\.[A-Za-z_][\w.]*|"
    r"[a-z]+(?:[A-Z][a-z0-9]+)+|/[\w./\-]+|[\w\-]+\.(?:py|js|ts|go|rb|yaml|yml|json|txt|pem|key|crt|env|conf))$"
)


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`, from character frequencies."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())


def is_placeholder(secret: str) -> bool:
    """Documentation examples, templating references and low-variety fillers (`xxxx`, `${VAR}`)."""
    lowered = secret.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    core = re.sub(r"^[A-Za-z]{2,8}[_\-.]", "", secret)  # variable part after a vendor prefix
    return len(set(core)) <= 3


def is_reference(value: str) -> bool:
    """`$VAR`, `${VAR}`, `%VAR%`, an environment variable name or a CI expression (`secrets.TOKEN`)."""
    return _REFERENCE_RE.match(value) is not None


def looks_like_code(value: str) -> bool:
    """A generic assignment whose value is an identifier, call, path or file name, not a secret."""
    if _CODE_RE.match(value):
        return True
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    return not (has_digit and has_alpha)
