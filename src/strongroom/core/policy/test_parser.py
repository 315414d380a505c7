from __future__ import annotations

import pytest

from strongroom.core.policy import DEFAULT_POLICY_TEXT, PathRule, PolicyError, PolicyParseError, parse_policy
from strongroom.sdk.errors import InvalidRequest

FULL_HCL = """
# comment
path "kv1/p/*" {
  capabilities        = ["create", "update"]
  allowed_parameters  = { "Color" = ["red", "blue"], "size" = [] }
  denied_parameters   = { "size" = ["xl"] }
  required_parameters = ["color"]
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = "1h30m"
}
path "secret/*" { policy = "write" }   // legacy form
"""


def rule(text: str) -> PathRule:
    (only,) = parse_policy("p", text).rules
    return only


def test_hcl_full_block() -> None:
    policy = parse_policy("Dev", FULL_HCL)
    assert policy.name == "dev"
    assert policy.text == FULL_HCL
    first, second = policy.rules
    assert first == PathRule(
        path="kv1/p/*",
        capabilities=frozenset({"create", "update"}),
        allowed_parameters={"color": ("red", "blue"), "size": ()},
        denied_parameters={"size": ("xl",)},
        required_parameters=("color",),
        min_wrapping_ttl=60,
        max_wrapping_ttl=5400,
    )
    assert second.path == "secret/*"
    assert second.capabilities == {"create", "read", "update", "delete", "list"}


def test_json_form_matches_hcl() -> None:
    text = """{"path": {
        "kv1/p/*": {"capabilities": ["create", "update"],
                    "allowed_parameters": {"Color": ["red", "blue"], "size": []},
                    "denied_parameters": {"size": ["xl"]},
                    "required_parameters": ["color"],
                    "min_wrapping_ttl": 60, "max_wrapping_ttl": "1h30m"},
        "secret/*": {"policy": "write"}}}"""
    assert parse_policy("dev", text).rules == parse_policy("dev", FULL_HCL).rules


def test_json_list_of_path_objects() -> None:
    text = '{"name": "x", "path": [{"a": {"capabilities": ["read"]}}, {"b": {"capabilities": ["list"]}}]}'
    assert [r.path for r in parse_policy("x", text).rules] == ["a", "b"]


def test_json_rule_wrapped_in_a_list() -> None:  # HCL1's JSON decoder accepted this shape
    assert parse_policy("x", '{"path": {"a": [{"capabilities": ["read"]}]}}').rules[0].capabilities == {"read"}


def test_same_path_twice_keeps_both_blocks() -> None:
    policy = parse_policy("p", 'path "a" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }')
    assert [r.capabilities for r in policy.rules] == [{"read"}, {"list"}]


def test_quoted_keys_with_escapes_and_spaces() -> None:
    parsed = rule('path "x y/\\"q\\"" { allowed_parameters = { "a b" = ["say \\"hi\\""] } }')
    assert parsed.path == 'x y/"q"'
    assert parsed.allowed_parameters == {"a b": ('say "hi"',)}


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("deny", {"deny"}),
        ("read", {"read", "list"}),
        ("write", {"create", "read", "update", "delete", "list"}),
        ("sudo", {"create", "read", "update", "delete", "list", "sudo"}),
    ],
)
def test_legacy_policy_shorthand(legacy: str, expected: set[str]) -> None:
    assert rule(f'path "a" {{ policy = "{legacy}" }}').capabilities == expected


def test_legacy_policy_adds_to_capabilities() -> None:
    assert rule('path "a" { policy = "read"\n capabilities = ["patch"] }').capabilities == {"read", "list", "patch"}


def test_deny_discards_other_capabilities() -> None:
    assert rule('path "a" { capabilities = ["read", "deny", "list"] }').capabilities == {"deny"}


def test_every_capability_is_accepted() -> None:
    caps = '["create", "read", "update", "patch", "delete", "list", "sudo"]'
    assert len(rule(f'path "a" {{ capabilities = {caps} }}').capabilities) == 7


def test_leading_slash_is_stripped() -> None:
    assert rule('path "/secret/x" { capabilities = ["read"] }').path == "secret/x"


def test_empty_block_and_comment_only_policy() -> None:
    assert rule('path "a" {}').capabilities == frozenset()
    assert parse_policy("p", "# nothing yet\n").rules == ()


def test_attribute_block_form_for_parameters() -> None:
    parsed = rule('path "a" {\n capabilities = ["create"]\n allowed_parameters {\n  x = []\n }\n}')
    assert parsed.allowed_parameters == {"x": ()}


def test_parameter_values_of_any_json_type() -> None:
    parsed = rule('path "a" { allowed_parameters = { "n" = [1, 2.5, true, null, ["l"], {"k" = "v"}] } }')
    assert parsed.allowed_parameters is not None
    values = parsed.allowed_parameters["n"]
    assert values[:4] == (1, 2.5, True, None)
    assert values[4] == ("l",)
    assert dict(values[5]) == {"k": "v"}


@pytest.mark.parametrize(("raw", "seconds"), [(90, 90), ('"90"', 90), ('"1h30m"', 5400), ('"2m"', 120), ('""', 0)])
def test_wrapping_ttl_durations(raw: object, seconds: int) -> None:
    assert rule(f'path "a" {{ max_wrapping_ttl = {raw} }}').max_wrapping_ttl == seconds


def test_templated_path_is_kept_and_flagged() -> None:
    policy = parse_policy("p", 'path "identity/entity/id/{{identity.entity.id}}" { capabilities = ["read"] }')
    assert policy.templated
    assert policy.rules[0].templated


def test_default_policy_text_parses() -> None:
    policy = parse_policy("default", DEFAULT_POLICY_TEXT)
    paths = {r.path for r in policy.rules}
    assert {"auth/token/lookup-self", "cubbyhole/*", "sys/tools/hash/*", "identity/oidc/provider/+/authorize"} <= paths


def test_name_is_normalised() -> None:
    assert parse_policy("  \uff32oot ", 'path "a" {}').name == "root"


# ---- failures -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "failed to parse policy: policy text is empty"),
        ("  \n ", "failed to parse policy: policy text is empty"),
        ('path "a" { capabilities = ["bogus"] }', 'failed to parse policy: path "a": invalid capability "bogus"'),
        ('path "a" { capabilities = ["root"] }', 'path "a": invalid capability "root"'),
        ('path "a" { policy = "admin" }', 'path "a": invalid policy "admin"'),
        ('path "a" { policy = ["read"] }', 'path "a": invalid policy'),
        ('path "a" { capabilities = "bogus" }', 'invalid capability "bogus"'),
        ('path "a" { capabilities = [1] }', 'path "a": capabilities must be a list of strings'),
        ('path "a" { required_parameters = "x" }', "required_parameters must be a list of strings"),
        ('path "a" { allowed_parameters = ["x"] }', "allowed_parameters must be an object"),
        ('path "a" { denied_parameters = { "x" = "y" } }', 'denied_parameters "x" must be a list of values'),
        ('path "a" { min_wrapping_ttl = "soon" }', 'path "a": error parsing min_wrapping_ttl'),
        ('path "a" { max_wrapping_ttl = true }', "error parsing max_wrapping_ttl"),
        ('path "a" { max_wrapping_ttl = -5 }', "must not be negative"),
        (
            'path "a" { min_wrapping_ttl = "2m"\n max_wrapping_ttl = 60 }',
            "max_wrapping_ttl cannot be less than min_wrapping_ttl",
        ),
        ('path "a" { bogus = 1 }', 'path "a": invalid key "bogus"'),
        ('path "a" { expiration = "2030-01-01T00:00:00Z" }', '"expiration" is not supported'),
        ('path "a" { control_group = {} }', '"control_group" is not supported'),
        ('path "a/+*" { capabilities = ["read"] }', "invalid use of wildcards ('+*' is forbidden)"),
        ('path "a/{{identity.entity.id" { capabilities = ["read"] }', "failed to validate policy templating"),
        ('path "a/{{nope}}" { capabilities = ["read"] }', "failed to validate policy templating"),
        ('foo = "bar"', 'failed to parse policy: invalid key "foo"'),
        ('name = 3\npath "a" {}', '"name" must be a string'),
        ('path "a" "b" { capabilities = ["read"] }', "exactly one label"),
        ('path { capabilities = ["read"] }', "exactly one label"),
        ("path = 3", '"path" must be a block or an object'),
        ('path "a" {', "failed to parse policy: invalid HCL: "),
        ("{not json", "failed to parse policy: invalid JSON: "),
        ("[1, 2]", "does not contain a root object"),
        ('{"path": {"a": 3}}', 'path "a": the rule must be an object'),
        ('{"path": [3]}', '"path" entries must be objects'),
        ('{"path": {"a": {"capabilities": ["bogus"]}}}', 'path "a": invalid capability "bogus"'),
    ],
)
def test_invalid_policy(text: str, message: str) -> None:
    with pytest.raises(PolicyParseError) as caught:
        parse_policy("p", text)
    assert message in str(caught.value)
    assert str(caught.value).startswith("failed to parse policy: ")


def test_invalid_deeply_nested_json() -> None:
    with pytest.raises(PolicyParseError, match="invalid JSON"):
        parse_policy("p", "[" * 100_000)


def test_parse_error_is_a_400_value_error() -> None:
    with pytest.raises(PolicyParseError) as caught:
        parse_policy("p", 'path "a" { capabilities = ["bogus"] }')
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PolicyError)
    assert isinstance(caught.value, InvalidRequest)
    assert caught.value.detail == 'path "a": invalid capability "bogus"'
