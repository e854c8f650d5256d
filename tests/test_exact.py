"""Money is exact through every computation; output rounds once (docs/analysis.md, "Money").

Parts priced below one fen in volumes of millions, hand-computed:

    OS --电阻 50,000,000 × (0.0044 + 0.0002 logistics) = 0.0046, former--> JB
    LM --电阻 50,000,000 × 0.0035--> JB                 (realized: 0.0011 × 5e7 = 55,000 元)
    OS --电阻 20,000,000 × 0.004--> B2                  (potential: (0.004 − 0.0035) × 2e7 = 10,000 元)
    OG --胶水 1,234,567 × 0.0035 = 4,320.9845--> B2, three such links (demand 12,962.9535 → 12,962.95;
                                                       rounding each link to the fen first gave 12,962.94)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.analysis import Options, closure, gaps, savings
from chaingraph.analysis.zones import zones_summary
from chaingraph.cli import main
from chaingraph.load import load_dataset
from tests.conftest import MakeData

ENT = [
    ("LM", "电阻厂", "Z", "电阻"),
    ("JB", "整机厂", "Z", "整机"),
    ("B2", "电源厂", "Z", "电源"),
    ("OS", "外地电阻", "外地", "电阻"),
    ("OG", "外地胶水", "外地", "胶水"),
]
LINKS = [
    ("OS", "JB", "电阻", None, 50_000_000, 0.0044, 0.0002, "former"),
    ("LM", "JB", "电阻", None, 50_000_000, 0.0035, None, "active"),
    ("OS", "B2", "电阻", None, 20_000_000, 0.004, None, "active"),
    ("OG", "B2", "胶水", None, 1_234_567, 0.0035),
    ("OG", "B2", "胶水", None, 1_234_567, 0.0035),
    ("OG", "B2", "胶水", None, 1_234_567, 0.0035),
]
Z = Options(zone="Z")
# Hand-computed: 175,000 local (5e7 × 0.0035) + 80,000 (2e7 × 0.004) + 3 × 4,320.9845 outside.
LOCAL, TOTAL = 175_000.0, 175_000 + 80_000 + 12_962.9535


@pytest.fixture
def folder(make_data: MakeData) -> Path:
    return make_data(ENT, LINKS)


def test_links_keep_their_digits(folder: Path) -> None:
    links = load_dataset(folder).links
    assert links["landed"].tolist()[:3] == pytest.approx([0.0046, 0.0035, 0.004], abs=1e-15)
    assert links["value"].tolist()[3] == pytest.approx(4320.9845, abs=1e-9)  # not 4320.98


def test_sub_fen_savings_hand_computed(folder: Path) -> None:
    s = savings(load_dataset(folder), opts=Z)
    (r,) = s.realized
    assert (r.buyer_id, r.product, r.before, r.after, r.unit_saving, r.annual_saving) == (
        "JB", "电阻", 0.0046, 0.0035, 0.0011, 55_000.0,
    )  # fmt: skip
    assert r.saving_rate == round(0.0011 / 0.0046, 6)
    (p,) = s.potential
    assert (p.buyer_id, p.landed, p.reference, p.reference_basis, p.unit_saving, p.annual_saving) == (
        "B2", 0.004, 0.0035, "local_market", 0.0005, 10_000.0,
    )  # fmt: skip
    assert (s.total_realized, s.total_potential) == (55_000.0, 10_000.0)


def test_sums_round_once_not_per_link(folder: Path) -> None:
    ds = load_dataset(folder)
    c = closure(ds, opts=Z)
    assert (c.local_value, c.total_value) == (LOCAL, round(TOTAL, 2)) == (175_000.0, 267_962.95)
    assert c.local_sourcing_ratio == round(LOCAL / TOTAL, 6)
    glue = next(g for g in gaps(ds, opts=Z).gaps if g.product == "胶水")
    assert (glue.kind, glue.external_demand, glue.suppliers[0]["value"]) == ("missing", 12_962.95, 12_962.95)
    row = zones_summary(ds, opts=Z).set_index("zone").loc["Z"]  # --all-zones: the same figures
    assert (row["local_value"], row["total_value"], row["total_realized"], row["total_potential"]) == (
        175_000.0, 267_962.95, 55_000.0, 10_000.0,
    )  # fmt: skip


def test_totals_are_rounded_sums_of_unrounded_rows(make_data: MakeData) -> None:
    """Three potential savings of 0.004 元 each (3 × 0.2 units × 0.02): 0.012 → 0.01; rounded rows would sum to 0."""
    ent = [("L", "本地", "Z", "钉"), ("B", "买方", "Z", ""), ("O", "外地", "外地", "钉")]
    links = [("L", "B", "钉", None, 1, 1.0), *[("O", "B", "钉", None, 0.2, 1.02)] * 3]
    s = savings(load_dataset(make_data(ent, links)), opts=Z)
    assert [p.annual_saving for p in s.potential] == [0.0, 0.0, 0.0]
    assert s.total_potential == 0.01


def test_json_and_table_show_sub_fen_prices(folder: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["savings", str(folder), "--zone", "Z", "-f", "json"])
    assert out.exit_code == 0, out.output
    real = json.loads(out.stdout)["realized"][0]
    got = (real["before"], real["after"], real["unit_saving"], real["annual_saving"])
    assert got == (0.0046, 0.0035, 0.0011, 55000.0)
    table = runner.invoke(main, ["savings", str(folder), "--zone", "Z"])
    assert "0.0046元→0.0035元" in table.stdout and "5.5万元" in table.stdout
