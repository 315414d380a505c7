"""A labelled corpus generated from the rules themselves.

Every rule's value regex is parsed with Python's regex parser and a random string matching it is drawn;
checksum-carrying formats get valid checksums; the value is embedded in the syntaxes secrets appear in
(assignments, YAML, JSON, shell). Hard negatives are values that look like secrets and are not.
"""

from __future__ import annotations

import base64
import json
import random
import re._constants as C
import re._parser as sre_parse
import string
from dataclasses import dataclass

from strongroom.scanner.checksums import BASE62, b64url_decode, github_token, strongroom_token
from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.rule import Rule

PRINTABLE = [c for c in string.ascii_letters + string.digits + "!#%+-./:=@^_~"]
CATEGORIES = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def _charset(items: list[tuple[object, object]]) -> list[str]:
    chars: set[str] = set()
    negate = False
    for op, arg in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            chars.add(chr(arg))  # type: ignore[arg-type]
        elif op is C.RANGE:
            lo, hi = arg  # type: ignore[misc]
            chars.update(chr(c) for c in range(lo, hi + 1))
        elif op is C.CATEGORY:
            chars.update(CATEGORIES.get(arg, string.ascii_letters))  # type: ignore[call-overload]
    if negate:
        return [c for c in PRINTABLE if c not in chars]
    # Whitespace and control characters only where nothing else is allowed.
    visible = sorted(c for c in chars if c.isprintable() and not c.isspace())
    return visible or sorted(chars)


def _gen(parsed: sre_parse.SubPattern | list, rng: random.Random) -> str:  # type: ignore[type-arg]
    out = []
    for op, arg in parsed:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append(rng.choice([c for c in PRINTABLE if c != chr(arg)]))
        elif op is C.IN:
            out.append(rng.choice(_charset(arg)))
        elif op is C.ANY:
            out.append(rng.choice(PRINTABLE))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = arg
            high = low + 20 if high is C.MAXREPEAT else high
            for _ in range(rng.randint(low, max(low, min(high, low + 20)))):
                out.append(_gen(sub, rng))
        elif op is C.SUBPATTERN:
            out.append(_gen(arg[-1], rng))
        elif op is C.BRANCH:
            out.append(_gen(rng.choice(arg[1]), rng))
        elif op is C.CATEGORY:
            out.append(rng.choice(CATEGORIES.get(arg, "a")))
        elif op is C.AT:
            continue
        else:
            raise ValueError(f"unsupported regex node {op}")
    return "".join(out)


def from_regex(regex: str, rng: random.Random) -> str:
    return _gen(sre_parse.parse(regex), rng)


def _b62(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(BASE62) for _ in range(n))


def _jwt(rng: random.Random) -> str:
    def seg(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    header = seg({"alg": "HS256", "typ": "JWT"})
    payload = seg({"sub": _b62(rng, 12), "iat": rng.randint(1_600_000_000, 1_800_000_000), "scope": "deploy"})
    sig = base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode()
    return f"{header}.{payload}.{sig}"


def _der(rng: random.Random, size: int = 600) -> bytes:
    body = rng.randbytes(size)
    return b"\x30\x82" + size.to_bytes(2, "big") + body


def _pem(label: str, raw: bytes) -> str:
    b64 = base64.b64encode(raw).decode()
    lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----"


def _special(rule: Rule, rng: random.Random) -> str | None:
    rid = rule.id
    if rid in ("github-pat", "github-oauth-token", "github-user-to-server-token", "github-app-token",
               "github-refresh-token"):
        prefix = rule.value[:4]
        return github_token(prefix, _b62(rng, 30))
    if rid == "npm-access-token":
        return github_token("npm_", _b62(rng, 30))
    if rid == "strongroom-token":
        return strongroom_token(rng.choice("sbr"), _b62(rng, 32))
    if rid == "jwt":
        return _jwt(rng)
    labels = {
        "private-key-rsa": "RSA PRIVATE KEY", "private-key-ec": "EC PRIVATE KEY", "private-key-dsa": "DSA PRIVATE KEY",
        "private-key-pkcs8": "PRIVATE KEY", "private-key-encrypted-pkcs8": "ENCRYPTED PRIVATE KEY",
    }
    if rid in labels:
        return _pem(labels[rid], _der(rng))
    if rid == "private-key-openssh":
        return _pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + rng.randbytes(400))
    if rid == "private-key-pgp":
        return _pem("PGP PRIVATE KEY BLOCK", b"\x95" + rng.randbytes(500))
    if rid == "putty-private-key":
        pub = base64.b64encode(rng.randbytes(200)).decode()
        priv = base64.b64encode(rng.randbytes(300)).decode()
        return ("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 4\n"
                + "\n".join(pub[i:i + 64] for i in range(0, len(pub), 64))
                + "\nPrivate-Lines: 8\n" + "\n".join(priv[i:i + 64] for i in range(0, len(priv), 64)))
    if rid in ("docker-config-auth", "basic-auth-header"):
        return base64.b64encode(f"deploy:{_b62(rng, 20)}".encode()).decode()
    if rid == "mailchimp-api-key":
        return "".join(rng.choice("0123456789abcdef") for _ in range(32)) + f"-us{rng.randint(1, 20)}"
    return None


@dataclass(frozen=True)
class Sample:
    rule_id: str
    secret: str
    text: str
    path: str


def value_for(rule: Rule, rng: random.Random) -> str:
    special = _special(rule, rng)
    if special is not None:
        return special
    for _ in range(50):
        value = from_regex(rule.value, rng)
        if re2_full(rule, value):
            return value
    raise AssertionError(f"cannot draw a matching value for {rule.id}")


def re2_full(rule: Rule, value: str) -> bool:
    from strongroom.scanner.engine import accept_secret

    return accept_secret(rule, value)


def _name(rule: Rule, rng: random.Random) -> str:
    if rule.context:
        word = rng.choice(rule.context).replace("\\", "")
        return word + rng.choice(["", "_key", "_token", "_secret", "-api-key"])
    return rng.choice(["config_value", "value", "setting", "conn", "dsn", "credential_blob"])


def embeddings(rule: Rule, value: str, rng: random.Random) -> list[tuple[str, str]]:
    """(file name, text) pairs placing the value in typical syntaxes."""
    if rule.id == "kubernetes-secret":
        enc = base64.b64encode(value.encode()).decode()
        return [("k8s/secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\n"
                                    f"data:\n  db-pass: {enc}\n")]
    if rule.template:
        return [("notes/config.txt", rule.template.format(value) + "\n")]
    if value.startswith("-----BEGIN"):  # PEM keys: as a file and inside JSON with escaped newlines
        return [("keys/id.key", value + "\n"),
                ("config/key.json", json.dumps({"type": "key", "material": value}) + "\n")]
    if "\n" in value:
        return [("keys/id.ppk", value + "\n")]
    name = _name(rule, rng)
    upper = name.upper().replace("-", "_").replace(" ", "_")
    return [
        ("src/settings.py", f'{name} = "{value}"\n'),
        ("deploy/values.yaml", f"app:\n  {name}: {value}\n"),
        ("config/app.json", json.dumps({name: value}) + "\n"),
        (".env", f"export {upper}={value}\n"),
        ("src/main.go", f'\tcfg.Set("{upper}", "{value}")\n' if not rule.context else f'\t{name} := "{value}"\n'),
    ]


def positives(rng: random.Random, rules: tuple[Rule, ...] = DETECTORS) -> list[Sample]:
    out = []
    for rule in rules:
        for _ in range(2):
            value = value_for(rule, rng)
            for path, text in embeddings(rule, value, rng):
                out.append(Sample(rule.id, value, text, path))
    return out


def negatives(rng: random.Random) -> list[tuple[str, str]]:
    """Hard negatives: (path, text) that must produce no finding."""
    uuid = "-".join(["".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12)])
    sha1 = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    sha256 = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    bad_gh = "ghp_" + _b62(rng, 36)
    good_sr = strongroom_token("s", _b62(rng, 32))
    bad_sr = good_sr[:-6] + ("000000" if not good_sr.endswith("000000") else "111111")
    img = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(3000)).decode()
    fake_jwt = "eyJub3RqdXN0c29tZSI6.eyJ0aGluZyIsImlzIjoi." + _b62(rng, 30)
    minified = ";".join(f"var {_b62(rng, 2).lower()}a=function(e,t){{return e.{_b62(rng, 8)}(t)}}"
                        for _ in range(200))
    garbage_pem = "-----BEGIN RSA PRIVATE KEY-----\n" + ("MIIB" + "not base64 !!" * 10 + "\n") * 4 \
        + "-----END RSA PRIVATE KEY-----"
    return [
        ("ids.txt", f"request_id = {uuid}\ncommit = {sha1}\ndigest: sha256:{sha256}\n"),
        ("docs/aws.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
        ("docs/github.md", "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                           f"GITHUB_TOKEN={bad_gh}\n"),
        ("sr.txt", f"SR_TOKEN={bad_sr}\n"),
        ("ci.yml", "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  PASSWORD: ${DB_PASSWORD}\n"
                   "  API_KEY: $API_KEY\n  token: <your-token-here>\n  secret: changeme\n"),
        ("app.py", 'password = os.environ["PASSWORD"]\ntoken = get_token(user)\napi_key = settings.API_KEY\n'
                   "secret_key = None\npassword_hash = hash_password(password)\ntoken_type = \"bearer\"\n"
                   'PASSWORD_FIELD = "password_confirmation"\nsecret = self.vault.read_secret(path)\n'),
        ("config.rb", 'secret_key_base = ENV["SECRET_KEY_BASE"]\npassword: "{{ .Values.password }}"\n'),
        ("logo.html", f'<img src="data:image/png;base64,{img}">\n'),
        ("app.min.js", minified + "\n"),
        ("package-lock.json", json.dumps({"node_modules/x": {
            "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",
            "integrity": "sha512-" + base64.b64encode(rng.randbytes(64)).decode()}}) + "\n"),
        ("jwt.txt", f"header = {fake_jwt}\n"),
        ("bad.pem", garbage_pem + "\n"),
        ("go.sum", f"golang.org/x/crypto v0.1.0 h1:{base64.b64encode(rng.randbytes(32)).decode()}\n"),
        ("tests/fixtures.py", 'password = "password"\nPASSWORD = "********"\napi_key = "xxxxxxxxxxxxxxxx"\n'
                              'secret = "your_secret_here"\ntoken = "dummy-token-value"\n'),
    ]


def sample_id(text: str) -> str:
    return b64url_decode(base64.urlsafe_b64encode(text.encode()).decode()).decode()[:8]
