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
    "<", ">", "${", "{{", "}}", "%(", "$(", "#{", "@@", "...", "abcd1234", "1234abcd", "a1b2c3",
)
_REFERENCE_RE = re.compile(
    r"^(?:\$[A-Za-z_]\w*|%[A-Za-z_]\w*%|\$\{?[A-Za-z_][\w.]*\}?|[A-Z][A-Z0-9_]{2,}|env\.\w+|vault:.*|"
    r"(?:secrets?|vars|env|inputs|steps)\.[\w.\-]+)$"
)
# Identifiers and expressions: snake_case/dotted names, function calls, attribute access, paths.
_CODE_RE = re.compile(
    r"^(?:[a-z_][a-z0-9_]*(?:[._\-][a-z0-9_]+)+|[A-Za-z_][\w.]*\(.*|[A-Za-z_]\w*\.[A-Za-z_][\w.]*|"
    r"[a-z]+(?:[A-Z][a-z0-9]+)+|(?:[A-Z][a-z0-9]+){2,}|[A-Za-z_][A-Za-z0-9_]*(?:Types?|Token|Keys?|Secret|Error|Config|Manager|Provider|Handler|Client|Factory)|/[\w./\-]+|[\w\-]+\.(?:py|js|ts|go|rb|yaml|yml|json|txt|pem|key|crt|env|conf))$"
)


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`, from character frequencies."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())


# Whole values that are never real secrets.
PLACEHOLDER_VALUES = frozenset({
    "password", "passwd", "pass", "secret", "token", "admin", "root", "test", "changeit", "default", "none",
    "null", "true", "false", "username", "user", "guest", "foobar", "foo", "bar", "baz", "pwd",
})


def is_placeholder(secret: str) -> bool:
    """Documentation examples, templating references and low-variety fillers (`xxxx`, `${VAR}`)."""
    lowered = secret.lower()
    if lowered in PLACEHOLDER_VALUES:
        return True
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    core = re.sub(r"^(?:[A-Za-z0-9]{1,10}[_\-.])+", "", secret)  # variable part after a vendor prefix
    if len(core) < 8:
        core = secret
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


# Names whose values are identifiers, not credentials: pagination cursors, idempotency keys, CSRF nonces.
_BENIGN_NAME_RE = re.compile(
    r"(?i)(?:next|page|client|request|purchase|update|change|idempotency|continuation|csrf|xsrf|sync|cursor|forward|"
    r"backward|session|verification|confirmation|reset|cancel|pagination|marker|callback)\w{0,12}(?:token|key)|"
    r"password[_\-]?(?:last|used|policy|reset|expir|age|length|hint|min|max|field|label|prompt)|"
    r"public[_\-]?key|(?:secret|token|password|key)[_\-]?(?:id|name|arn|ref|path|file|length|policy|type)\b|key[_\-]?(?:id|name|path|file|type|size|length|alias|ring|store)|token[_\-]?(?:url|uri|type|endpoint)"
)
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def generic_noise(name_and_value: str, value: str) -> bool:
    """Generic assignments that are not secrets: benign names, UUIDs, URLs, encoded JSON cursors."""
    if _BENIGN_NAME_RE.search(name_and_value[: max(0, len(name_and_value) - len(value))]):
        return True
    lowered = value.lower()
    if "password" in lowered or "mock" in lowered:
        return True
    if len(value) < 20 and all(c in "0123456789abcdefABCDEF" for c in value):
        return True
    if "*:" in value or ":*" in value or "arn:" in name_and_value:
        return True
    return bool(_UUID_RE.match(value)) or value.startswith(("http://", "https://", "eyJ", "0x"))


_SUFFIXES = "id|ids|name|arn|url|uri|region|endpoint|version|type|path"
_IDENTIFIER_NAME_RE = re.compile(
    rf"(?:(?i:[_\-. ](?:{_SUFFIXES}))|[a-z0-9](?:{_SUFFIXES.title().replace('Id|Ids', 'Id|Ids|ID')}))$"
)


def names_identifier(name: str) -> bool:
    """`SEGMENT_ID = ...`, `okta_client_id: ...`: the name says the value identifies, not authenticates."""
    stripped = name.rstrip(" \t'\"`=:?<>-[]")
    return _IDENTIFIER_NAME_RE.search(stripped) is not None
