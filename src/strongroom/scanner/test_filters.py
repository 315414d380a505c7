import pytest

from strongroom.scanner.filters import (
    generic_noise,
    is_placeholder,
    is_reference,
    looks_like_code,
    names_identifier,
    shannon_entropy,
)


def test_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)


@pytest.mark.parametrize(
    "value",
    ["AKIAIOSFODNN7EXAMPLE", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "${DB_PASSWORD}", "{{ .Values.x }}",
     "changeme", "<your-token>", "password", "sk_live_aaaaaaaaaaaaaaaaaaaaaaaa", "your_api_key_here"],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["Zq8#rT2vLm9xWk4p", "ghp_Ab3dEf9hIjK1mN0pQrS7uVwX2zAbCdE5wxyz"])
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize("value", ["$TOKEN", "${TOKEN}", "%TOKEN%", "DB_PASSWORD", "secrets.GITHUB_TOKEN"])
def test_references(value: str) -> None:
    assert is_reference(value)


@pytest.mark.parametrize("value", ["get_password()", "self.token", "settings.api_key", "getPassword", "nodigits"])
def test_code_like(value: str) -> None:
    assert looks_like_code(value)


def test_secret_is_not_code() -> None:
    assert not looks_like_code("Zq8#rT2vLm9xWk4p")


def test_generic_noise() -> None:
    assert generic_noise('"NextToken": "abc123XYZ987', "abc123XYZ987")
    assert generic_noise("token = 01234567-89ab-cdef-0123-456789abcdef", "01234567-89ab-cdef-0123-456789abcdef")
    assert not generic_noise('password = "Zq8#rT2vLm9xWk4p', "Zq8#rT2vLm9xWk4p")


def test_identifier_names() -> None:
    assert names_identifier("SEGMENT_ID=")
    assert names_identifier('SegmentId": "')
    assert not names_identifier("plaid: ")
    assert not names_identifier("DD_API_KEY=")
