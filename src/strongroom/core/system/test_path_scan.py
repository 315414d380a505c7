"""sys/scan/fingerprints below the core: validation and matching over mounts that offer values."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from strongroom.core.system.path_scan import MAX_FINGERPRINTS, fingerprint_path
from strongroom.crypto.fingerprint import scan_fingerprint
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Backend, EngineEnv, ManagedValue
from strongroom.sdk.framework.testing import EngineHarness

SECRET = "pa55word-for-the-db"
F_SECRET = scan_fingerprint(SECRET)
UNKNOWN = scan_fingerprint("a value stored nowhere")


def holding(*values: ManagedValue) -> Backend:
    """A real Backend whose mount offers `values`, as a KV mount's would."""
    return Backend([], managed_values=lambda: values)


MOUNTS: list[tuple[str, Backend]] = [
    ("secret", holding(ManagedValue("apps/db", 1, "password", SECRET),
                       ManagedValue("apps/db", 3, "password", f"  {SECRET}\n"),
                       ManagedValue("apps/db", 3, "user", "app-user-name"),
                       ManagedValue("apps/short", 1, "pin", "1234567"))),
    ("kv1", holding(ManagedValue("legacy", 0, "conn.password", SECRET))),
    ("transit", Backend([])),  # a mount that offers nothing
]


def harness(mounts: Iterable[tuple[str, Backend]] = MOUNTS) -> EngineHarness:
    def factory(env: EngineEnv) -> Backend:
        return Backend([fingerprint_path(lambda: mounts)])

    return EngineHarness(factory, mount_path="sys/")


def lookup(fingerprints: object, mounts: Iterable[tuple[str, Backend]] = MOUNTS) -> list[dict[str, object]]:
    return harness(mounts).write("scan/fingerprints", fingerprints=fingerprints).data["matches"]  # type: ignore[no-any-return]


def test_every_place_a_value_is_stored_is_reported() -> None:
    assert lookup([F_SECRET, UNKNOWN]) == [
        {"fingerprint": F_SECRET, "mount": "kv1", "path": "legacy", "version": 0, "field": "conn.password"},
        {"fingerprint": F_SECRET, "mount": "secret", "path": "apps/db", "version": 1, "field": "password"},
        {"fingerprint": F_SECRET, "mount": "secret", "path": "apps/db", "version": 3, "field": "password"},
    ]


def test_unknown_fingerprints_are_absent() -> None:
    assert lookup([UNKNOWN]) == []
    assert lookup([]) == []


def test_a_repeated_fingerprint_is_answered_once_per_place() -> None:
    assert len(lookup([F_SECRET, F_SECRET])) == 3


def test_values_shorter_than_eight_characters_are_never_matched() -> None:
    assert lookup([scan_fingerprint("1234567")]) == []
    eight = [("m", holding(ManagedValue("p", 1, "pin", " 12345678 ")))]
    assert [m["field"] for m in lookup([scan_fingerprint("12345678")], eight)] == ["pin"]


def test_the_response_never_carries_a_value() -> None:
    response = harness().write("scan/fingerprints", fingerprints=[F_SECRET, scan_fingerprint("app-user-name")])
    assert SECRET not in repr(response.data) and "app-user-name" not in repr(response.data)
    assert [m["field"] for m in response.data["matches"]] == ["conn.password", "password", "password", "user"]


def test_values_are_read_at_each_request() -> None:
    stored: list[ManagedValue] = []
    mounts = [("secret", Backend([], managed_values=lambda: stored))]
    api = harness(mounts)
    assert api.write("scan/fingerprints", fingerprints=[F_SECRET]).data["matches"] == []
    stored.append(ManagedValue("new", 1, "v", SECRET))
    assert len(api.write("scan/fingerprints", fingerprints=[F_SECRET]).data["matches"]) == 1


def test_no_walk_when_nothing_is_asked() -> None:
    def exploding() -> Iterable[ManagedValue]:
        raise AssertionError("walked the mount for an empty request")

    assert lookup([], [("secret", Backend([], managed_values=exploding))]) == []


@pytest.mark.parametrize(("fingerprints", "message"), [
    (F_SECRET, "expected a list of strings"),
    (f"{F_SECRET},{UNKNOWN}", "expected a list of strings"),
    ({"a": F_SECRET}, "expected a list of strings"),
    (42, "expected a list of strings"),
    ([F_SECRET, 42], r"fingerprints\[1\] is not a wire fingerprint"),
    ([F_SECRET[:-1]], r"fingerprints\[0\] is not a wire fingerprint \(43 base64url characters\)"),
    ([F_SECRET + "A"], r"fingerprints\[0\]"),
    ([F_SECRET[:-1] + "="], r"fingerprints\[0\]"),
    ([F_SECRET[:-1] + "+"], r"fingerprints\[0\]"),  # standard base64, not base64url
    ([F_SECRET + "\n"], r"fingerprints\[0\]"),
    ([[F_SECRET]], r"fingerprints\[0\]"),
    ([F_SECRET] * (MAX_FINGERPRINTS + 1), "at most 1000 fingerprints per request, got 1001"),
])
def test_bad_bodies_are_invalid_requests(fingerprints: object, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        harness().write("scan/fingerprints", fingerprints=fingerprints)


def test_fingerprints_are_required() -> None:
    with pytest.raises(InvalidRequest, match="missing required field 'fingerprints'"):
        harness().write("scan/fingerprints")
    with pytest.raises(InvalidRequest, match="missing required field"):
        harness().write("scan/fingerprints", fingerprints=None)


def test_a_full_batch_is_accepted() -> None:
    batch = [scan_fingerprint(f"candidate-{i}") for i in range(MAX_FINGERPRINTS - 1)] + [F_SECRET]
    assert len(lookup(batch)) == 3
