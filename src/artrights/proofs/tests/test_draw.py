"""Verifiable double-random draws (proofs/draw.py): reproducible, checked, and every tampering named."""

from __future__ import annotations

import copy
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from artrights import verify
from artrights.proofs import draw
from artrights.proofs.canonical import canonical

SECRET = bytes(range(32))
PUBLIC = "artrights.example/log\n1234\nq83k...=\n"  # a later cosigned checkpoint's text
SOURCE = "公开日志第 1234 号检查点 / log checkpoint 1234, cosigned by two witnesses"
DRAWN_AT = "2026-11-30T04:00:00+00:00"


def make_pool(n: int = 400) -> list[dict[str, Any]]:
    pool: list[dict[str, Any]] = []
    for i in range(n):
        pool.append(
            {
                "id": f"91230600MA{i:08d}",
                "credit_grade": "ABCD"[i % 4],
                "risk_level": str(1 + (i // 4) % 2),
                "pool": "key" if i % 40 == 0 else "general",
                "last_checked": "2026-06-01" if i % 5 == 0 else None,
                "sector": "publishing" if i % 2 else "software",
                "region": "Ranghulu" if i % 3 else "Saertu",
            }
        )
    return pool


def make_inspectors(n: int = 8) -> list[dict[str, Any]]:
    return [
        {
            "id": f"EI{j:03d}",
            "qualified": j != 7,  # EI007 has no enforcement certificate
            "specialties": ["copyright"],
            "conflicts": ["91230600MA00000001", "91230600MA00000002"] if j < 4 else [],
        }
        for j in range(n)
    ]


def make_plan(pool: list[dict[str, Any]], **kw: Any) -> draw.DrawPlan:
    return draw.DrawPlan("PLAN-2026-01", draw.default_ratio_table(pool), "2026-11-30", **kw)


def make_record(pool: list[dict[str, Any]] | None = None, secret: bytes = SECRET, **kw: Any) -> dict[str, Any]:
    pool = make_pool() if pool is None else pool
    return draw.run_draw(
        plan=make_plan(pool, **kw),
        pool=pool,
        inspectors=make_inspectors(),
        secret=secret,
        public_value=PUBLIC,
        public_source=SOURCE,
        committed_pool_hash=draw.pool_snapshot_hash(pool),
        committed_secret=draw.commitment(secret),
        drawn_at=DRAWN_AT,
    )


def checks(findings: list[draw.Finding]) -> set[str]:
    return {f.check for f in findings}


# Pinned so the algorithm cannot change silently: a change here means a new ALGORITHM version.
GOLDEN_SEED = "6bee0cb48d13848b226f087680bdf30384907463871711b45580740542ecf0b5"
GOLDEN_RESULT = "a681e6584dcce10c6bf47fd59412732dc45ea93f430a3d2bb0d567b00d1976ce"
GOLDEN_ASSIGNMENTS = "4ce78bc75b3137e87ba1b16248eac23460cfd99e76e93e76216ff796ba3599a9"


def test_the_same_inputs_give_the_same_list_and_the_golden_vector_is_pinned() -> None:
    first, second = make_record(), make_record()
    assert first == second
    assert first["seed"] == GOLDEN_SEED
    assert first["result_hash"] == GOLDEN_RESULT
    assert hashlib.sha256(canonical(first["assignments"])).hexdigest() == GOLDEN_ASSIGNMENTS
    assert draw.verify_draw(first) == []


def test_the_seed_byte_layout_is_the_documented_one() -> None:
    pool_hash = draw.pool_snapshot_hash(make_pool())
    parts = [b"artrights-draw-seed/v1", b"artrights-draw-alg/1", SECRET, PUBLIC.encode(), bytes.fromhex(pool_hash)]
    parts.append(b"PLAN-2026-01")
    layout = b"".join(len(p).to_bytes(4, "big") + p for p in parts)
    assert draw.derive_seed(SECRET, PUBLIC, pool_hash, "PLAN-2026-01") == hashlib.sha256(layout).digest()
    assert draw.commitment(SECRET) == hashlib.sha256(b"artrights-draw-commit/v1\x00" + SECRET).hexdigest()


def test_the_pool_hash_is_rfc_8785_of_the_sorted_pool() -> None:
    pool = make_pool(30)
    pool[0]["sector"] = 'quote " back\\slash \n 中文 \x01'
    snapshot = draw.normalise_pool(reversed(pool))
    assert draw._pool_bytes(snapshot) == canonical(snapshot)
    assert draw.pool_snapshot_hash(pool) == draw.pool_snapshot_hash(list(reversed(pool)))


def test_a_different_seed_or_pool_gives_a_different_draw() -> None:
    base = make_record()
    other_secret = make_record(secret=b"\x07" * 32)
    assert other_secret["seed"] != base["seed"] and other_secret["drawn"] != base["drawn"]
    pool = make_pool()
    pool[3]["credit_grade"] = "A"
    changed = make_record(pool)
    assert changed["pool_hash"] != base["pool_hash"] and changed["seed"] != base["seed"]


def test_the_key_pool_is_drawn_in_full() -> None:
    record = make_record()
    key_ids = {t["id"] for t in make_pool() if t["pool"] == "key"}
    assert key_ids and key_ids <= set(record["drawn"])
    assert all(s["ratio"] == "1" for k, s in record["strata"].items() if k.startswith("key/"))


def test_each_stratum_draws_the_ceiling_of_its_ratio() -> None:
    record = make_record()
    by_stratum = Counter(draw.stratum_of(t) for t in record["pool"] if t["id"] in set(record["drawn"]))
    for key, summary in record["strata"].items():
        n = summary["size"]
        expected = -(-int(float(summary["ratio"]) * 100) * n // 100)
        assert summary["drawn"] == expected == by_stratum[key], key
    assert record["strata"]["general/A/2"] == {"size": 50, "ratio": "0.05", "drawn": 3}  # ceil(2.5), not 2


def test_recently_checked_targets_are_drawn_less_often_over_many_seeds() -> None:
    pool = [
        {
            "id": f"T{i:04d}",
            "credit_grade": "B",
            "risk_level": "1",
            "pool": "general",
            "last_checked": "2026-09-01" if i % 2 else None,
        }
        for i in range(200)
    ]
    plan = draw.DrawPlan("P", {"general/B/1": "0.20"}, "2026-11-30", recent_weight=250)
    snapshot = draw.normalise_pool(pool)
    recent = {t["id"] for t in pool if t["last_checked"]}
    hits = Counter[str]()
    for s in range(100):
        drawn, _ = draw.draw_targets(snapshot, plan, s.to_bytes(32, "big"))
        hits.update("recent" if t in recent else "other" for t in drawn)
    # 40 drawn each time of 100 recent and 100 others with weight 1/4: about 10 vs 30; the margin is wide.
    assert hits["recent"] + hits["other"] == 4000
    assert hits["recent"] < 0.6 * hits["other"]
    assert hits["recent"] > 0.1 * hits["other"]  # lowered, not excluded


def test_a_directed_draw_only_takes_matching_targets() -> None:
    record = make_record(directed={"sector": ["publishing"]})
    sectors = {t["id"]: t["sector"] for t in record["pool"]}
    assert record["drawn"] and {sectors[t] for t in record["drawn"]} == {"publishing"}
    assert draw.verify_draw(record) == []


def test_a_tampered_list_is_named_with_the_missing_and_extra_targets() -> None:
    record = make_record()
    undrawn = next(t["id"] for t in record["pool"] if t["id"] not in record["drawn"])
    removed = record["drawn"][0]
    record["drawn"] = sorted([*record["drawn"][1:], undrawn])
    findings = draw.verify_draw(record)
    text = " ".join(f.bilingual() for f in findings)
    assert {"drawn", "result_hash"} <= checks(findings)
    assert f"缺少应抽中的：{removed}" in text and f"is missing: {removed}" in text
    assert f"多出未抽中的：{undrawn}" in text and f"has extra: {undrawn}" in text


def test_a_pool_changed_after_the_commitment_is_named_and_refused() -> None:
    record = make_record()
    record["pool"][5]["credit_grade"] = "D"
    assert "pool_hash" in checks(draw.verify_draw(record))
    pool = make_pool()
    committed = draw.pool_snapshot_hash(pool)
    pool.pop()
    with pytest.raises(draw.PoolChanged) as exc:
        draw.run_draw(
            plan=make_plan(pool),
            pool=pool,
            inspectors=make_inspectors(),
            secret=SECRET,
            public_value=PUBLIC,
            public_source=SOURCE,
            committed_pool_hash=committed,
            committed_secret=draw.commitment(SECRET),
        )
    assert exc.value.code == "draw.pool_changed" and "名录" in exc.value.message_zh


def test_a_reveal_that_does_not_match_the_commitment_is_named_and_refused() -> None:
    record = make_record()
    record["secret"] = (b"\x09" * 32).hex()
    assert "commitment" in checks(draw.verify_draw(record))
    pool = make_pool()
    with pytest.raises(draw.RevealMismatch) as exc:
        draw.run_draw(
            plan=make_plan(pool),
            pool=pool,
            inspectors=make_inspectors(),
            secret=SECRET,
            public_value=PUBLIC,
            public_source=SOURCE,
            committed_pool_hash=draw.pool_snapshot_hash(pool),
            committed_secret=draw.commitment(b"\x00" * 32),
        )
    assert exc.value.code == "draw.reveal_mismatch"


def test_a_changed_public_value_is_named_as_a_seed_difference() -> None:
    record = make_record()
    record["public_value"]["value"] = "a checkpoint chosen after the fact"
    assert "seed" in checks(draw.verify_draw(record))


def test_a_tampered_assignment_is_named() -> None:
    record = make_record()
    target = record["drawn"][0]
    assigned = record["assignments"][target]
    outsider = next(f"EI{j:03d}" for j in range(7) if f"EI{j:03d}" not in assigned)
    record["assignments"][target] = [assigned[0], outsider]
    findings = draw.verify_draw(record)
    assert checks(findings) == {"assignment"}
    assert target in findings[0].message_zh and target in findings[0].message_en


def test_every_target_gets_two_distinct_qualified_inspectors_without_a_conflict() -> None:
    record = make_record()
    inspectors = {i["id"]: i for i in make_inspectors()}
    for target in record["drawn"]:
        team = record["assignments"][target]
        assert len(team) == len(set(team)) == 2
        for member in team:
            assert inspectors[member]["qualified"]
            assert target not in inspectors[member]["conflicts"]


def test_an_assigned_inspector_with_a_conflict_is_named() -> None:
    record = make_record()
    conflicted = "91230600MA00000001"
    if conflicted not in record["drawn"]:
        record = make_record(directed={"sector": ["publishing"]})
    assert conflicted in record["drawn"]
    record["assignments"][conflicted] = ["EI000", record["assignments"][conflicted][0]]
    assert "conflict" in checks(draw.verify_draw(record))


def test_a_recusal_redraws_that_slot_is_recorded_and_re_verifies() -> None:
    record = make_record()
    target = record["drawn"][1]
    leaving, staying = record["assignments"][target]
    after = draw.with_recusals(record, [draw.Recusal(target, leaving, "近亲属在该企业任职 / a relative works there")])
    (recusal,) = after["recusals"]
    assert recusal["inspector"] == leaving and recusal["replacement"] not in (None, leaving, staying)
    assert after["assignments"][target] == [recusal["replacement"], staying]
    assert {t: a for t, a in after["assignments"].items() if t != target} == {
        t: a for t, a in record["assignments"].items() if t != target
    }
    assert draw.verify_draw(after) == []
    forged = copy.deepcopy(after)
    forged["recusals"][0]["replacement"] = staying
    assert "recusal" in checks(draw.verify_draw(forged))


def test_too_few_qualified_inspectors_is_refused_with_a_stable_code() -> None:
    pool = make_pool(10)
    inspectors = [{"id": "EI1", "qualified": True}, {"id": "EI2", "qualified": False}]
    with pytest.raises(draw.TooFewInspectors) as exc:
        draw.run_draw(
            plan=make_plan(pool),
            pool=pool,
            inspectors=inspectors,
            secret=SECRET,
            public_value=PUBLIC,
            public_source=SOURCE,
            committed_pool_hash=draw.pool_snapshot_hash(pool),
            committed_secret=draw.commitment(SECRET),
        )
    assert exc.value.code == "draw.too_few_inspectors" and "至少需要 2 名" in exc.value.message_zh


def test_an_unknown_stratum_is_refused() -> None:
    pool = make_pool(10)
    plan = draw.DrawPlan("P", {"general/A/1": "0.05"}, "2026-11-30")
    with pytest.raises(draw.UnknownStratum) as exc:
        draw.draw_targets(draw.normalise_pool(pool), plan, b"\x00" * 32)
    assert exc.value.code == "draw.unknown_stratum"
    pool[1]["credit_grade"] = "E"  # pool[0] is in the key pool, drawn in full whatever its grade
    with pytest.raises(draw.UnknownStratum):
        draw.default_ratio_table(pool)


def test_the_cli_verifies_a_record_without_a_trust_file_and_fails_on_a_tampered_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no trust.json here
    record = make_record()
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(record, ensure_ascii=False))
    assert verify.main([str(good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("有效 VALID") and "not checked" in out
    record["drawn"] = record["drawn"][1:]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record, ensure_ascii=False))
    assert verify.main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert "无效 INVALID [drawn]" in out and "无效 INVALID [result_hash]" in out


def test_verify_bytes_dispatches_a_draw_record() -> None:
    data = json.dumps(make_record()).encode()
    verdict = verify.verify_bytes(data, trust=None)
    assert verdict.ok and verdict.summary().startswith("有效 VALID")


targets = st.lists(
    st.tuples(st.sampled_from("ABCD"), st.sampled_from(["1", "2"]), st.sampled_from(["general", "key"])),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=targets, seed=st.binary(min_size=32, max_size=32))
def test_the_draw_is_a_subset_of_the_pool_with_the_right_size_per_stratum(
    rows: list[tuple[str, str, str]], seed: bytes
) -> None:
    pool = [{"id": f"S{i}", "credit_grade": g, "risk_level": r, "pool": p} for i, (g, r, p) in enumerate(rows)]
    snapshot = draw.normalise_pool(pool)
    plan = draw.DrawPlan("P", draw.default_ratio_table(pool), "2026-11-30")
    drawn, summary = draw.draw_targets(snapshot, plan, seed)
    assert len(set(drawn)) == len(drawn) and set(drawn) <= {t["id"] for t in pool}
    sizes = Counter(draw.stratum_of(t) for t in pool)
    got = Counter(draw.stratum_of(t) for t in snapshot if t["id"] in set(drawn))
    for key, n in sizes.items():
        assert got[key] == draw.quota(draw.parse_ratio(plan.ratios[key]), n) == summary[key]["drawn"]


def _reference_draw(pool, plan, seed):
    """The module docstring read literally, one target at a time: what the vectorised draw must equal."""
    snapshot = sorted(pool, key=lambda t: t["id"])
    groups: dict[str, list] = {}
    for t in snapshot:
        if all(t.get(name) in allowed for name, allowed in plan.directed.items()):
            groups.setdefault(draw.stratum_of(t), []).append(t)
    drawn = []
    for key, members in sorted(groups.items()):
        k = draw.quota(draw.parse_ratio(plan.ratios[key]), len(members))
        keyed = []
        for t in members:
            u = int.from_bytes(hashlib.sha256(seed + b"T" + t["id"].encode()).digest()[:8], "big")
            keyed.append((u * 1000 // plan.weight(t), t["id"]))
        drawn += [ident for _, ident in sorted(keyed)[:k]]
    return sorted(drawn)


def _reference_team(seed, target, qualified, conflicts, need):
    team: list[str] = []
    j = 0
    limit = (2**64 // len(qualified)) * len(qualified)
    while len(team) < need:
        v = int.from_bytes(
            hashlib.sha256(seed + b"I" + draw._field(target.encode()) + j.to_bytes(4, "big")).digest()[:8], "big"
        )
        j += 1
        if v < limit:
            c = qualified[v % len(qualified)]
            if c not in team and target not in conflicts[c]:
                team.append(c)
    return team


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from(["1", "2"]), st.booleans(), st.sampled_from(["x", "y"])),
        min_size=1,
        max_size=80,
    ),
    seed=st.binary(min_size=32, max_size=32),
    inspectors=st.integers(min_value=2, max_value=6),
    directed=st.booleans(),
)
def test_the_vectorised_draw_equals_the_draw_read_one_target_at_a_time(rows, seed, inspectors, directed) -> None:
    pool = [
        {
            "id": f"S{(i * 7919) % 1000:04d}-{i}",
            "credit_grade": g,
            "risk_level": r,
            "pool": "general",
            "last_checked": "2026-10-01" if recent else None,
            "sector": sector,
        }
        for i, (g, r, recent, sector) in enumerate(rows)
    ]
    plan = draw.DrawPlan(
        "P", draw.default_ratio_table(pool), "2026-11-30", directed={"sector": ["x"]} if directed else {}
    )
    drawn, _ = draw.draw_targets(draw.normalise_pool(pool), plan, seed)
    assert drawn == _reference_draw(pool, plan, seed)
    people: list[dict[str, Any]] = [
        {"id": f"EI{j}", "qualified": True, "conflicts": [t["id"] for t in pool[j::5]]} for j in range(inspectors + 1)
    ]
    conflicts: dict[str, set[str]] = {p["id"]: set(p["conflicts"]) for p in people}
    try:
        got, _ = draw.assign_inspectors(drawn, people, plan, seed)
    except draw.TooFewInspectors:
        assert any(sum(t not in c for c in conflicts.values()) < 2 for t in drawn)
        return
    ids = sorted(conflicts)
    assert got == {t: _reference_team(seed, t, ids, conflicts, 2) for t in drawn}
