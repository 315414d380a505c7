"""A detection rule is data: an RE2-syntax regex whose group 1 is the secret, keywords, an entropy floor and
an optional validator for formats with a checksum or structure.

Two builders cover nearly every rule:

* `token()` for self-identifying formats (a vendor prefix such as `ghp_`), anchored on word boundaries;
* `keyed()` for values that only mean something next to a name (`HEROKU_API_KEY = <uuid>`).

Rule regexes must stay inside the common subset of RE2 and Hyperscan: no backreferences, no lookaround.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Validator = Callable[[str], bool]


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    family: str
    regex: str
    keywords: tuple[str, ...] = ()
    entropy: float = 0.0
    validator: Validator | None = None
    # Generic rules lose to specific ones when their secrets overlap, and get extra noise filtering.
    generic: bool = False
    # The value pattern alone and the names that give it meaning (documentation and corpus generation).
    value: str = ""
    context: tuple[str, ...] = ()
    # How the corpus embeds a sample value when the rule needs more than `name = value` ("{}" is the value).
    template: str = ""


# Text that may separate a key name from its value: `=`, `:`, `:=`, `=>`, `?=`, `<-` with quotes around.
ASSIGN = r"[\w.\-]{0,30}[\s'\"\]]{0,3}(?:=|:=|:|=>|\?=|<-)[\s'\"`]{0,5}"
_END = r"(?:[^0-9A-Za-z_\-+/=]|$)"
_LITERAL_PREFIX_RE = re.compile(r"^(?:[A-Za-z0-9_\-]|\\\.|\\\$)+")


def literal_prefix(value: str) -> str:
    """The literal text a value regex starts with (`ghp_` for `ghp_[A-Za-z0-9]{36}`)."""
    match = _LITERAL_PREFIX_RE.match(value)
    return match.group(0).replace("\\", "") if match else ""


def token(
    rule_id: str,
    description: str,
    family: str,
    value: str,
    *,
    keywords: tuple[str, ...] = (),
    entropy: float = 0.0,
    validator: Validator | None = None,
    end: str = _END,
) -> Rule:
    """A self-identifying token; its literal prefix becomes the keyword unless given."""
    prefix = literal_prefix(value)
    start = r"\b" if prefix and (prefix[0].isalnum() or prefix[0] == "_") else ""
    return Rule(
        id=rule_id,
        description=description,
        family=family,
        regex=f"{start}({value}){end}",
        keywords=keywords or ((prefix.lower(),) if prefix else ()),
        entropy=entropy,
        validator=validator,
        value=value,
    )


def keyed(
    rule_id: str,
    description: str,
    family: str,
    context: tuple[str, ...],
    value: str,
    *,
    entropy: float = 3.0,
    validator: Validator | None = None,
) -> Rule:
    """A value recognised by the name it is assigned to: `<context>[_name] = <value>`."""
    # `_`, `-` and space are interchangeable in names: DD_API_KEY, dd-api-key, "dd api key".
    names = "|".join(re.sub(r"[_\- ]", r"[_\\- ]", c) for c in context)
    return Rule(
        id=rule_id,
        description=description,
        family=family,
        regex=f"(?i:{names}){ASSIGN}({value})(?:[`'\"\\s;,)\\]}}]|\\\\[nr]|$)",
        keywords=tuple(re.split(r"[_\- ]", c.replace("\\", "").lower())[0] for c in context),
        entropy=entropy,
        validator=validator,
        value=value,
        context=context,
    )


# Value fragments shared by many rules.
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
HEX32 = r"[a-f0-9]{32}"
HEX40 = r"[a-f0-9]{40}"
HEX64 = r"[a-f0-9]{64}"
B64URL = r"[A-Za-z0-9_\-]"
ALNUM = r"[A-Za-z0-9]"
