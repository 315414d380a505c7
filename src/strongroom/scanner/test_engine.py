import time

import pytest

from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.engine import Engine, Match, _compile_re2, prefilter_pattern, resolve_overlaps
from strongroom.scanner.errors import RuleError
from strongroom.scanner.rule import Rule, keyed, token


def test_prefilter_relaxes_large_repeats_and_lazy() -> None:
    assert prefilter_pattern("a{40}") == "a{16,}"
    assert prefilter_pattern("a{2,300}") == "a{2,}"
    assert prefilter_pattern("a{2,8}") == "a{2,8}"
    assert prefilter_pattern("a{64,}?b") == "a{16,}b"
    assert prefilter_pattern(r"x+?\{3\}") == r"x+\{3\}"


def test_token_rule_matches_with_boundaries() -> None:
    engine = Engine([token("t", "T", "f", r"tok_[a-z0-9]{20}")])
    found = engine.scan(b"a tok_q8w7e6r5t4y3u2i1o0p9 b xtok_q8w7e6r5t4y3u2i1o0p9 tok_q8w7e6r5t4y3u2i1o0p9z")
    assert [m.secret for m in found] == ["tok_q8w7e6r5t4y3u2i1o0p9"]


def test_keyed_rule_needs_its_name() -> None:
    engine = Engine([keyed("k", "K", "f", ("acme",), r"[a-f0-9]{32}")])
    value = "3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d"
    assert [m.secret for m in engine.scan(f'ACME_API_KEY = "{value}"'.encode())] == [value]
    assert [m.secret for m in engine.scan(f"acme-token: {value}\n".encode())] == [value]
    assert engine.scan(f'OTHER_KEY = "{value}"'.encode()) == []


def test_keywords_gate_rules() -> None:
    rule = Rule("r", "R", "f", r"\b(live_[a-z0-9]{20})\b", keywords=("gocardless",))
    engine = Engine([rule])
    assert engine.scan(b"x = live_q8w7e6r5t4y3u2i1o0p9") == []
    assert len(engine.scan(b"# gocardless\nx = live_q8w7e6r5t4y3u2i1o0p9")) == 1


def test_entropy_floor_and_validator() -> None:
    rule = Rule("r", "R", "f", r"\b(k_[a-z0-9]{16})\b", entropy=3.0, validator=lambda s: s.endswith("9"))
    engine = Engine([rule])
    assert engine.scan(b"k_aaaaaaaabbbbbbb9") == []  # low entropy
    assert engine.scan(b"k_q8w7e6r5t4y3u2i1") == []  # validator refuses
    assert len(engine.scan(b"k_q8w7e6r5t4y3u2i9")) == 1


def test_user_rule_redos_is_linear() -> None:
    engine = Engine([Rule("redos", "ReDoS attempt", "custom", r"((a+)+$)")])
    data = b"a" * 100_000 + b"!"
    started = time.perf_counter()
    assert engine.scan(data) == []
    assert time.perf_counter() - started < 1.0
    started = time.perf_counter()
    assert engine.candidate_rules(b"a" * 100_000) == [0]
    assert engine.scan(b"a" * 100_000) == []  # a match, but a one-letter value is filler, not a secret
    assert time.perf_counter() - started < 1.0


def test_bad_regex_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        Engine([Rule("bad", "B", "f", r"(?<=x)y")])


def test_every_builtin_rule_compiles_in_re2() -> None:
    # Built-in rules compile on first use, so a broken one would otherwise fail only in the scan that needs it.
    engine = Engine(DETECTORS)
    for index, rule in enumerate(engine.rules):
        assert engine._compiled[index] is None
        _compile_re2(rule)  # raises RuleError
    assert engine.scan(b"ghp_" + b"x" * 36) == [] and engine._compiled.count(None) < len(engine.rules)


def test_overlaps_prefer_specific_then_longer() -> None:
    specific = Rule("s", "S", "f", "x")
    generic = Rule("g", "G", "f", "x", generic=True)
    matches = [Match(generic, 0, 30, "g"), Match(specific, 5, 20, "s"), Match(specific, 40, 50, "t")]
    kept = resolve_overlaps(matches)
    assert [(m.rule.id, m.start) for m in kept] == [("s", 5), ("s", 40)]


def test_checksum_failure_vetoes_generic_match() -> None:
    from strongroom.scanner.detectors import DETECTORS

    engine = Engine(DETECTORS)
    bad = "ghp_" + "Ab3dEf9hIjK1mN0pQrS7uVwX2zAbCdE5wxyz"
    assert engine.scan(f"GITHUB_TOKEN={bad}\n".encode()) == []


def test_rules_hyperscan_rejects_still_run_through_re2(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rules = [Rule("ungreedy", "U", "f", r"(?U)\b(zz[0-9]{6})"), token("t", "T", "f", r"tok_[a-z0-9]{20}")]
    engine = Engine(rules)
    found = engine.scan(b"zz123456 tok_q8w7e6r5t4y3u2i1o0p9")
    assert sorted(m.rule.id for m in found) == ["t", "ungreedy"]
    assert engine.candidate_rules(b"nothing") == [0]  # the rejected rule is always tried


def test_compiled_database_is_cached(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rules = [token("t", "T", "f", r"tok_[a-z0-9]{20}")]
    Engine(rules)
    cached = list((tmp_path / "strongroom" / "scanner").glob("*.hsdb"))  # type: ignore[operator]
    assert len(cached) == 1
    assert len(Engine(rules).scan(b"tok_q8w7e6r5t4y3u2i1o0p9")) == 1  # loaded from the cache
    cached[0].write_bytes(b"corrupt")
    assert len(Engine(rules).scan(b"tok_q8w7e6r5t4y3u2i1o0p9")) == 1  # recompiled


def test_unwritable_cache_only_costs_time(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"  # type: ignore[operator]
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(Engine([token("t", "T", "f", r"tok_[a-z0-9]{20}")]).scan(b"tok_q8w7e6r5t4y3u2i1o0p9")) == 1
