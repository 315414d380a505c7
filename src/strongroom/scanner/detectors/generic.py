"""Generic assignments of passwords and keys; these lose to every specific rule on overlap."""

from __future__ import annotations

from strongroom.scanner.checksums import verify_basic_auth
from strongroom.scanner.rule import Rule

F = "generic"

# Names that make the assigned value a secret. Suffix words after the name are allowed (db_password_prod).
_NAMES = (
    r"password|passwd|passphrase|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|auth[_\-]?key"
    r"|private[_\-]?key|client[_\-]?secret|credentials?|auth[_\-]?token"
    r"|(?:encryption|encrypt|signing|hmac|master|aes|cipher)[_\-]?key"
)
_VALUE = r"[^\s'\"`;,<>(){}\[\]\\]{8,100}"

RULES: tuple[Rule, ...] = (
    Rule("generic-password", "Password or secret assigned in code or configuration", F,
         rf"(?i:{_NAMES})[\w.\-]{{0,20}}[\s'\"\]]{{0,3}}(?:=|:=|:|=>|\?=)[\s]{{0,5}}['\"`]?({_VALUE})"
         r"(?:[`'\"\s;,)\]}]|\\[nr]|$)",
         keywords=("password", "passwd", "pwd", "secret", "token", "key", "credential", "passphrase"),
         entropy=3.2, generic=True, value=r"[A-Za-z0-9!#%^*+=?@~]{16,28}", context=("password", "secret", "token")),
    Rule("basic-auth-header", "HTTP Authorization: Basic credentials", F,
         r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:basic)\s+([A-Za-z0-9+/]{12,200}={0,2})",
         keywords=("basic",), entropy=3.0, value=r"[A-Za-z0-9+/]{24,40}", validator=verify_basic_auth,
         template="Authorization: Basic {}"),
    Rule("bearer-token-header", "HTTP Authorization: Bearer token", F,
         r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:bearer)\s+([A-Za-z0-9_\-.~+/]{20,500}={0,2})",
         keywords=("bearer",), entropy=3.5, generic=True, value=r"[A-Za-z0-9_\-]{32,64}",
         template="curl -H 'Authorization: Bearer {}' https://api.example.net"),
    Rule("netrc-password", ".netrc machine password", F,
         r"machine\s+[^\s]+\s+(?:login\s+[^\s]+\s+)?password\s+([^\s]{8,100})",
         keywords=("machine",), entropy=3.0, value=r"[A-Za-z0-9!#%^*+=?@~]{12,24}",
         template="machine git.internal.net login deploy password {}"),
    Rule("htpasswd-bcrypt", "bcrypt password hash (htpasswd, users file)", F,
         r"(?m)^[\w.\-@]{1,64}:(\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53})",
         keywords=("$2",), value=r"\$2y\$10\$[./A-Za-z0-9]{53}", template="alice:{}"),
    Rule("kubernetes-secret", "Value in a Kubernetes Secret manifest (base64-decoded)", "kubernetes",
         "", keywords=("secret",), entropy=3.0, generic=True, value=r"[A-Za-z0-9!#%^*+=?@~]{16,28}"),
)
