"""Definitions 1–6 of docs/analysis.md on small hand-checked graphs, with exact figures.

The base graph (zone Z; O1, O2 outside):

    S1 --钢 1000--> M1 --箱体 10×285--> B1 --桩 9000--> O2
    O1 --箱体 10×(300+30), former--> B1
    O1 --箱体 5×320--> B1          O2 --芯片 4000--> B1
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chaingraph.analysis import Options, closure, gaps, savings
from chaingraph.errors import UnknownZoneError
from chaingraph.load import load_dataset
from tests.conftest import MakeData

ENT = [
    ("S1", "钢厂", "Z", "钢"),
    ("M1", "箱体厂", "Z", "箱体"),
    ("B1", "桩厂", "Z", "桩"),
    ("O1", "外地箱体", "外地", "箱体"),
    ("O2", "外地芯片", "外地", "芯片"),
]
LINKS = [
    ("S1", "M1", "钢", 1000),
    ("M1", "B1", "箱体", None, 10, 285, 0),
    ("O1", "B1", "箱体", None, 10, 300, 30, "former"),
    ("O2", "B1", "芯片", 4000),
    ("O1", "B1", "箱体", None, 5, 320),
    ("B1", "O2", "桩", 9000),
]
CHAINS = [
    ("桩链", "钢", ""),
    ("桩链", "箱体", "钢"),
    ("桩链", "桩", "箱体"),
    ("桩链", "桩", "芯片"),
    ("桩链", "铜", ""),
]
Z = Options(zone="Z")


@pytest.fixture
def base(make_data: MakeData) -> Path:
    return make_data(ENT, LINKS)


def test_local_sourcing_ratio(base: Path) -> None:
    c = closure(load_dataset(base), opts=Z)
    assert (c.local_value, c.total_value, c.local_sourcing_ratio) == (3850.0, 9450.0, 0.407407)
    by_buyer = c.by_buyer.frame().set_index("buyer_id")
    assert by_buyer.loc["B1", "local_sourcing_ratio"] == pytest.approx(2850 / 8450, abs=1e-6)
    assert by_buyer.loc["M1", "local_sourcing_ratio"] == 1.0
    assert c.by_product.frame().set_index("product").loc["芯片", "local_sourcing_ratio"] == 0.0


def test_stage_coverage_derived(base: Path) -> None:
    c = closure(load_dataset(base), opts=Z)
    assert c.coverage_basis == "derived"
    assert [r.to_dict() for r in c.chains] == [
        {
            "chain": None,
            "end_product": "桩",
            "stage_coverage": 0.75,
            "closed": False,
            "stages": 4,
            "covered": 3,
            "missing_stages": ["芯片"],
        }
    ]
    assert c.to_dict()["note"].startswith("No chains.csv")


def test_stage_coverage_with_chains(make_data: MakeData) -> None:
    c = closure(load_dataset(make_data(ENT, LINKS, CHAINS)), opts=Z)
    assert c.coverage_basis == "chains.csv"
    got = [(r.chain, r.end_product, r.stage_coverage, r.closed, r.missing_stages) for r in c.chains]
    assert got == [("桩链", "桩", 0.75, False, ("芯片",)), ("桩链", "铜", 0.0, False, ("铜",))]


def test_closed_chain(make_data: MakeData) -> None:
    ent = [*ENT[:3], ("C1", "芯片厂", "Z", "芯片"), *ENT[3:]]
    c = closure(load_dataset(make_data(ent, LINKS, CHAINS[:4])), opts=Z)
    assert [(r.end_product, r.stage_coverage, r.closed) for r in c.chains] == [("桩", 1.0, True)]


def test_local_chains(base: Path) -> None:
    c = closure(load_dataset(base), opts=Z)
    assert c.local_chains == (("S1", "M1", "B1"),)
    assert c.local_chains_method == "all_maximal_paths"


def test_local_chains_with_cycle_and_branch(make_data: MakeData) -> None:
    ent = [(x, x, "Z", "") for x in "abcd"]
    links = [("a", "b", "p", 1), ("b", "c", "p", 1), ("c", "a", "q", 1), ("b", "d", "p", 1)]
    c = closure(load_dataset(make_data(ent, links)), opts=Z)
    # the DFS from 'a' sets aside c→a, which closes the cycle a→b→c→a
    assert c.local_chains == (("a", "b", "c"), ("a", "b", "d"))


def test_realized_saving(base: Path) -> None:
    s = savings(load_dataset(base), opts=Z)
    assert [r.to_dict() for r in s.realized] == [
        {
            "buyer_id": "B1",
            "product": "箱体",
            "supplier_id": "M1",
            "local_suppliers": ["M1"],
            "former_suppliers": ["O1"],
            "before": 330.0,
            "after": 285.0,
            "unit_saving": 45.0,
            "saving_rate": 0.136364,
            "volume": 10.0,
            "annual_saving": 450.0,
        }
    ]
    assert s.total_realized == 450.0


def test_realized_several_former_links_value_weighted(make_data: MakeData) -> None:
    ent = [*ENT, ("O3", "外地箱体2", "外地", "箱体")]
    links = [*LINKS, ("O3", "B1", "箱体", 1000, None, 300, 0, "former")]
    s = savings(load_dataset(make_data(ent, links)), opts=Z)
    r = s.realized[0]
    assert (r.before, r.unit_saving, r.annual_saving) == (322.5, 37.5, 375.0)  # (330×3000 + 300×1000) / 4000
    assert r.former_suppliers == ("O1", "O3")


def test_realized_zero_values_use_plain_mean(make_data: MakeData) -> None:
    links = [
        ("M1", "B1", "箱体", 0, 10, 280, 0),
        ("O1", "B1", "箱体", 0, None, 300, 0, "former"),
        ("O1", "B1", "箱体", 0, None, 340, 0, "former"),
    ]
    s = savings(load_dataset(make_data(ENT, links)), opts=Z)
    assert (s.realized[0].before, s.realized[0].after, s.realized[0].annual_saving) == (320.0, 280.0, 400.0)


def test_realized_volume_missing_uses_value_over_price(make_data: MakeData) -> None:
    links = [("M1", "B1", "箱体", 2850, None, 285), ("O1", "B1", "箱体", 3300, None, 330, 0, "former")]
    r = savings(load_dataset(make_data(ENT, links)), opts=Z).realized[0]
    assert (r.volume, r.annual_saving) == (10.0, 450.0)


def test_potential_saving_against_local_market(base: Path) -> None:
    s = savings(load_dataset(base), opts=Z)
    assert [p.to_dict() for p in s.potential] == [
        {
            "buyer_id": "B1",
            "product": "箱体",
            "supplier_id": "O1",
            "supplier_zone": "外地",
            "value": 1600.0,
            "landed": 320.0,
            "reference": 285.0,
            "reference_basis": "local_market",
            "unit_saving": 35.0,
            "saving_rate": 0.109375,
            "volume": 5.0,
            "annual_saving": 175.0,
            "candidates": ["M1"],
            "candidate_count": 1,
        }
    ]
    assert s.total_potential == 175.0


def test_potential_without_prices_uses_rate(make_data: MakeData) -> None:
    links = [("M1", "O2", "箱体", 100), ("O1", "B1", "箱体", 2000)]
    s = savings(load_dataset(make_data(ENT, links)), opts=Options(zone="Z", local_saving_rate=0.1))
    p = s.potential[0]
    assert (p.reference_basis, p.unit_saving, p.saving_rate, p.annual_saving) == ("no_price", None, 0.1, 200.0)


def test_potential_price_but_no_local_price_uses_rate(make_data: MakeData) -> None:
    links = [("O1", "B1", "箱体", None, 10, 300, 20)]  # M1 lists 箱体 but sells none with a price
    p = savings(load_dataset(make_data(ENT, links)), opts=Z).potential[0]
    assert (p.reference_basis, p.reference, p.unit_saving, p.annual_saving) == ("rate", 304.0, 16.0, 160.0)


def test_product_made_locally_only_by_the_buyer(make_data: MakeData) -> None:
    ent = [("B1", "桩厂", "Z", "桩;芯片"), ("O2", "外地芯片", "外地", "芯片")]
    ds = load_dataset(make_data(ent, [("O2", "B1", "芯片", 4000)]))
    assert savings(ds, opts=Z).potential == ()  # no maker other than the buyer itself
    g = gaps(ds, opts=Z).gaps
    assert [(r.product, r.kind, r.local_makers) for r in g] == [("芯片", "weak", ("B1",))]


def test_no_local_supply_at_all(make_data: MakeData) -> None:
    ent = [("B1", "桩厂", "Z", ""), ("O2", "外地芯片", "外地", "芯片")]
    ds = load_dataset(make_data(ent, [("O2", "B1", "芯片", 4000)]))
    c = closure(ds, opts=Z)
    assert (c.local_sourcing_ratio, c.local_chains, c.chains) == (0.0, (), ())
    s = savings(ds, opts=Z)
    assert (s.realized, s.potential, s.total_realized, s.total_potential) == ((), (), 0.0, 0.0)
    assert [(r.product, r.kind, r.external_demand) for r in gaps(ds, opts=Z).gaps] == [("芯片", "missing", 4000.0)]


def test_zone_without_purchases_has_no_ratio(make_data: MakeData) -> None:
    ds = load_dataset(make_data([("A", "甲", "Z", "钢"), ("O", "乙", "外地", "")], [("A", "O", "钢", 5)]))
    assert closure(ds, opts=Z).local_sourcing_ratio is None


def test_planned_links_only_with_include_planned(make_data: MakeData) -> None:
    ent = [*ENT, ("C1", "芯片厂", "Z", "")]
    links = [*LINKS, ("C1", "B1", "芯片", 1000, None, None, None, "planned")]
    ds = load_dataset(make_data(ent, links))
    assert closure(ds, opts=Z).local_sourcing_ratio == 0.407407
    with_planned = Options(zone="Z", include_planned=True)
    assert closure(ds, opts=with_planned).local_sourcing_ratio == pytest.approx(4850 / 10450, abs=1e-6)
    assert [g.kind for g in gaps(ds, opts=Z).gaps] == ["missing"]
    # planned, C1 becomes a maker of 芯片 with 1000 of 5000 local: one maker, 80% outside → weak
    assert [(g.product, g.kind) for g in gaps(ds, opts=with_planned).gaps] == [("芯片", "weak")]


def test_gaps_rows(make_data: MakeData) -> None:
    ds = load_dataset(make_data(ENT, LINKS, CHAINS))
    rows = [g.to_dict() for g in gaps(ds, opts=Z).gaps]
    assert rows == [
        {
            "product": "芯片",
            "kind": "missing",
            "external_demand": 4000.0,
            "local_purchase": 4000.0,
            "outside_share": 1.0,
            "local_makers": [],
            "buyers": [{"id": "B1", "name": "桩厂", "value": 4000.0}],
            "suppliers": [{"id": "O2", "name": "外地芯片", "zone": "外地", "value": 4000.0, "share": 1.0}],
            "dependents": ["桩"],
            "chains": ["桩链"],
        },
        {
            "product": "铜",
            "kind": "empty",
            "external_demand": 0.0,
            "local_purchase": 0.0,
            "outside_share": None,
            "local_makers": [],
            "buyers": [],
            "suppliers": [],
            "dependents": [],
            "chains": ["桩链"],
        },
    ]


def test_weak_gap_threshold_is_half(make_data: MakeData) -> None:
    links = [("M1", "B1", "箱体", 500), ("O1", "B1", "箱体", 500)]
    rows = gaps(load_dataset(make_data(ENT, links)), opts=Z).gaps
    assert [(r.product, r.kind, r.outside_share) for r in rows] == [("箱体", "weak", 0.5)]


def test_unknown_zone_lists_closest_first(base: Path) -> None:
    with pytest.raises(UnknownZoneError) as exc:
        closure(load_dataset(base), opts=Options(zone="外"))
    assert exc.value.candidates == ["外地", "Z"]


def test_scope_city(make_data: MakeData, tmp_path: Path) -> None:
    folder = make_data(ENT, LINKS)
    text = (folder / "enterprises.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",city"] + [t + (",晋城市" if ",Z," in t else ",深圳市") for t in text[1:]]
    (folder / "enterprises.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    c = closure(load_dataset(folder), opts=Options(zone="晋城市", scope="city"))
    assert c.local_sourcing_ratio == 0.407407


def test_analyses_do_not_mutate_the_dataset(base: Path) -> None:
    ds = load_dataset(base)
    before = (ds.links.copy(), ds.enterprises.copy())
    closure(ds, opts=Z), savings(ds, opts=Z), gaps(ds, opts=Z)
    assert ds.links.equals(before[0]) and ds.enterprises.equals(before[1])


# --- every zone at once (analyze --all-zones) ---------------------------------------------------


def test_zones_summary_hand_checked(make_data: MakeData) -> None:
    from chaingraph.analysis.zones import zones_summary

    t = zones_summary(load_dataset(make_data(ENT, LINKS, CHAINS)), opts=Z)
    assert t.to_dict("records") == [
        # Z: 3850 of 9450 local; B1 箱体 330 → 285 on 10 units = 450; O1's 5 × 320 against M1's 285 = 175;
        # 芯片 missing, 铜 an empty stage; 箱体 has one maker but only 1600 of 4450 from outside: not weak.
        {"zone": "Z", "local_sourcing_ratio": 0.407407, "local_value": 3850.0, "total_value": 9450.0,
         "total_realized": 450.0, "total_potential": 175.0, "gaps": 2, "missing": 1, "weak": 0, "empty": 1},
        # 外地 buys 桩 (9000) from Z and makes no 桩; 钢 and 铜 have no maker there.
        {"zone": "外地", "local_sourcing_ratio": 0.0, "local_value": 0.0, "total_value": 9000.0,
         "total_realized": 0.0, "total_potential": 0.0, "gaps": 3, "missing": 1, "weak": 0, "empty": 2},
    ]  # fmt: skip


@pytest.mark.parametrize(("seed", "chains"), [(3, True), (8, False)])
def test_zones_summary_equals_each_zone_analysed(tmp_path: Path, seed: int, chains: bool) -> None:
    """The one-pass summary agrees to the fen with the three analyses run zone by zone."""
    from dataclasses import replace

    from chaingraph.analysis.zones import zones_summary
    from chaingraph.engine import analyze
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.results.analysis import summary_row
    from chaingraph.synth import SynthSpec, write_synth

    ds = load_dataset(write_synth(SynthSpec(links=2000, zones=3, seed=seed, chains=chains), tmp_path / "syn"))
    backend = MemoryBackend(ds)
    seen = []
    for opts in (Options(zone=""), Options(zone="", include_planned=True, local_saving_rate=0.1),
                 Options(zone="", scope="province")):  # fmt: skip
        fast = zones_summary(ds, opts=opts).to_dict("records")
        slow = [summary_row(analyze(backend, opts=replace(opts, zone=z))) for z in backend.zones(scope=opts.scope)]
        assert fast == slow
        seen += fast
    # every figure is exercised, not just zeros compared with zeros
    for key in ("total_realized", "total_potential", "missing", "weak", *(("empty",) if chains else ())):
        assert any(r[key] for r in seen), key


def test_zones_summary_on_the_sample() -> None:
    from chaingraph.analysis.zones import zones_summary
    from chaingraph.engine import analyze
    from chaingraph.memory_engine import MemoryBackend
    from chaingraph.results.analysis import summary_row

    ds = load_dataset("data")
    backend = MemoryBackend(ds)
    slow = [summary_row(analyze(backend, opts=Options(zone=z))) for z in backend.zones(scope="zone")]
    assert zones_summary(ds, opts=Options(zone="")).to_dict("records") == slow
