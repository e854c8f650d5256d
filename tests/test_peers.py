"""Peer zones, 对标 (docs/analysis.md, "Peer zones"): ``chaingraph benchmark``, figures checked by hand.

Zones Z, P1, P2, and 外地 (an outside region: it buys nothing, so it is no peer).  Chain map 链:
钢 → 桩 ← 芯片 (end product 桩, stages 桩, 钢, 芯片).

* Z: A (makes 桩) buys 芯片 700 from O (外地) and 300 from X (P1), 钢 400 from M (Z):
  LSR 400 ÷ 1400 = 0.285714; coverage 桩, 钢 of 3 = 0.666667; gap 芯片 missing, demand 1000.
* P1: Y1 (makes 桩) buys 芯片 100 from X (P1) and 钢 200 from M (Z): LSR 100 ÷ 300 = 0.333333;
  X makes 芯片 (sold 400: 300 to A, 100 to Y1), T is a trader listing 芯片 (a maker for
  coverage, no invitation target); coverage 桩, 芯片 = 0.666667; gap 钢 missing.
* P2: Q (makes 桩) buys 芯片 500 from W (P2) and 500 from O: LSR 0.5; potential saving 500 × 0.05
  = 25 (no price, W makes it); coverage 0.666667; gaps 芯片 weak (one maker, half bought
  outside), 钢 empty.

Ranked by LSR: P2 1, P1 2, Z 3.  Z's gap 芯片: P2's W (sold 500) before P1's X (sold 400,
already selling 300 to Z); T is left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph.analysis.benchmark import benchmark
from chaingraph.cli import main
from chaingraph.errors import ChaingraphError
from chaingraph.load import load_dataset
from chaingraph.results.benchmark import parse_peers
from chaingraph.results.options import Options
from tests.conftest import write_csv

ENT = [
    ("A", "桩厂", "Z", "桩", "manufacturer"),
    ("M", "钢厂", "Z", "钢", "manufacturer"),
    ("X", "芯片一厂", "P1", "芯片", "manufacturer"),
    ("T", "芯片贸易", "P1", "芯片", "trader"),
    ("Y1", "乙桩厂", "P1", "桩", "manufacturer"),
    ("W", "芯片二厂", "P2", "芯片", "manufacturer"),
    ("Q", "丙桩厂", "P2", "桩", "manufacturer"),
    ("O", "外地芯片", "外地", "芯片", "manufacturer"),
]
LINKS = [
    ("O", "A", "芯片", 700),
    ("X", "A", "芯片", 300),
    ("M", "A", "钢", 400),
    ("X", "Y1", "芯片", 100),
    ("M", "Y1", "钢", 200),
    ("W", "Q", "芯片", 500),
    ("O", "Q", "芯片", 500),
]
CHAINS = [("链", "钢", ""), ("链", "芯片", ""), ("链", "桩", "钢"), ("链", "桩", "芯片")]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "peers"
    folder.mkdir()
    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "products", "kind"], ENT)
    write_csv(folder / "links.csv", ["supplier_id", "buyer_id", "product", "annual_value"], LINKS)
    write_csv(folder / "chains.csv", ["chain", "product", "input"], CHAINS)
    return folder


def test_zones_side_by_side(data: Path) -> None:
    b = benchmark(load_dataset(data), opts=Options(zone="Z"))
    assert b.peers == ("P1", "P2") and not b.named  # 外地 buys nothing: no peer
    rows = [(z.zone, z.rank, z.local_sourcing_ratio, z.local_value, z.total_value, z.total_potential, z.gaps,
             z.missing, z.weak, z.empty) for z in b.zones]  # fmt: skip
    assert rows == [
        ("P2", 1, 0.5, 500.0, 1000.0, 25.0, 2, 0, 1, 1),
        ("P1", 2, 0.333333, 100.0, 300.0, 0.0, 1, 1, 0, 0),
        ("Z", 3, 0.285714, 400.0, 1400.0, 0.0, 1, 1, 0, 0),
    ]
    (chain,) = b.chains
    assert (chain.chain, chain.end_product, chain.coverage) == (
        "链", "桩", (("Z", 0.666667), ("P1", 0.666667), ("P2", 0.666667)),
    )  # fmt: skip
    assert (chain.best_peer, chain.best_coverage) == ("P1", 0.666667)  # a tie goes to the name


def test_gap_names_the_peers_makers_not_traders(data: Path) -> None:
    b = benchmark(load_dataset(data), opts=Options(zone="Z"))
    (gap,) = b.gaps
    assert (gap.product, gap.kind, gap.external_demand) == ("芯片", "missing", 1000.0)
    assert [(p.zone, [(m.id, m.name, m.sold, m.sells_to_zone) for m in p.makers]) for p in gap.peers] == [
        ("P2", [("W", "芯片二厂", 500.0, 0.0)]),
        ("P1", [("X", "芯片一厂", 400.0, 300.0)]),  # T, a trader listing 芯片, is no maker to invite
    ]


def test_named_peers(data: Path) -> None:
    b = benchmark(load_dataset(data), opts=Options(zone="Z"), peers=["P1", "Z"])
    assert b.peers == ("P1",) and b.named  # the zone itself is left out
    assert [z.zone for z in b.zones] == ["P1", "Z"]
    assert [p.zone for p in b.gaps[0].peers] == ["P1"]
    b = benchmark(load_dataset(data), opts=Options(zone="Z"), peers=["外地"])  # named: compared even with no purchases
    assert [(z.zone, z.rank, z.local_sourcing_ratio) for z in b.zones] == [("Z", 1, 0.285714), ("外地", None, None)]


def test_unknown_peer_is_an_error_listing_the_known_zones(data: Path) -> None:
    with pytest.raises(ChaingraphError) as err:
        benchmark(load_dataset(data), opts=Options(zone="Z"), peers=["P9", "P1", "Q"])
    assert str(err.value) == "peers names zones the data does not have: 'P9', 'Q'. Known zones: P1、P2、Z、外地."


def test_parse_peers() -> None:
    assert parse_peers("P1, P2，P1、") == ("P1", "P2")
    assert parse_peers("") is None


def test_cli_benchmark(data: Path) -> None:
    run = CliRunner().invoke(main, ["benchmark", str(data), "--zone", "Z", "-f", "json"])
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert [z["zone"] for z in out["zones"]] == ["P2", "P1", "Z"]
    assert out["gaps"][0]["peers"][0] == {"zone": "P2", "makers": [{"id": "W", "name": "芯片二厂", "sold": 500.0,
                                                                    "sells_to_zone": 0.0}]}  # fmt: skip
    run = CliRunner().invoke(main, ["benchmark", str(data), "--zone", "Z", "--peers", "P9"])
    assert run.exit_code == 2
    assert run.output == "Error: --peers names a zone the data does not have: 'P9'. Known zones: P1、P2、Z、外地.\n"
    run = CliRunner().invoke(main, ["benchmark", str(data), "--zone", "Z", "--peers", "Z"])
    assert (run.exit_code, run.output) == (2, "Error: --peers names only 'Z' itself: name at least one other zone.\n")
    run = CliRunner().invoke(main, ["benchmark", str(data), "--zone", "Z", "-f", "csv"])
    assert run.exit_code == 0
    head = run.stdout.splitlines()[0]
    assert head.startswith("zone,rank,local_sourcing_ratio,") and "coverage 链 · 桩" in head
    assert run.stdout.splitlines()[2].startswith("P1,2,0.333333,100.0,300.0,")
    run = CliRunner().invoke(main, ["benchmark", str(data), "--zone", "Z"])
    assert run.exit_code == 0 and "芯片二厂" in run.stdout and "★芯片一厂" in run.stdout
