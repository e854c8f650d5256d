"""Where to invest (docs/analysis.md, "Where to invest"): density, φ, value kept local, multiplier, quadrants.

The graph (five zones that make something, and an outside region 外地):

    zone  makes (listed)        zone  makes
    Z     x (Z1), y (Z2)        C     x, g2
    A     g1, x                 D     g2
    B     g1, y, g2             外地  g3 (sells it only)

    A1 --g1 1000万--> Z1      D1 --g2 600万--> Z1      D1 --g2 300万--> Z2
    O1 --g3 200万--> Z1       Z1 --x 500万--> Z2 (local)

N (zones making): x 3 (Z, A, C), y 2 (Z, B), g1 2 (A, B), g2 3 (B, C, D), g3 1 (外地).

φ(g1, ·): x 1/3 (A), y 1/2 (B), g2 1/3 (B)  → density(Z, g1) = (1/3 + 1/2) ÷ (1/3 + 1/2 + 1/3) = 5/7
φ(g2, ·): x 1/3 (C), y 1/3 (B), g1 1/3 (B)  → density(Z, g2) = (1/3 + 1/3) ÷ 1 = 2/3
φ(g3, ·): all 0 (外地 makes nothing else)   → density None (no proximity known)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chaingraph import registry
from chaingraph.analysis.matrix import gap_matrix, presence
from chaingraph.analysis.rank import rank_gaps
from chaingraph.cli import main
from chaingraph.errors import ChaingraphError
from chaingraph.load import load_dataset
from chaingraph.memory_engine import MemoryBackend
from chaingraph.render import csv_frames
from chaingraph.results.matrix import MatrixInput, ZoneScale, matrix_rows
from chaingraph.results.options import Options
from tests.conftest import L_HEAD, write_csv

Z = Options(zone="Z")
W = 10_000  # 万元

ENT = [  # id, name, zone, products, output_value, employees
    ("Z1", "甲厂", "Z", "x", 200_000_000, 100),
    ("Z2", "乙厂", "Z", "y", 100_000_000, ""),
    ("A1", "A厂", "A", "g1;x", "", ""),
    ("B1", "B厂", "B", "g1;y;g2", "", ""),
    ("C1", "C厂", "C", "x;g2", "", ""),
    ("D1", "D厂", "D", "g2", "", ""),
    ("O1", "外地厂", "外地", "", "", ""),
]
LINKS = [
    ("A1", "Z1", "g1", 1000 * W),
    ("D1", "Z1", "g2", 600 * W),
    ("D1", "Z2", "g2", 300 * W),
    ("O1", "Z1", "g3", 200 * W),
    ("Z1", "Z2", "x", 500 * W),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "m"
    d.mkdir()
    write_csv(d / "enterprises.csv", ["id", "name", "zone", "products", "output_value", "employees"], ENT)
    write_csv(d / "links.csv", L_HEAD, [(*r, "", "", "", "") for r in LINKS])
    return d


def _rows(folder: Path, **kw: float) -> dict[str, object]:
    m = gap_matrix(load_dataset(folder), opts=Z, **kw)
    return {r.product: r for r in m.rows}


def test_presence_and_proximity(folder: Path) -> None:
    m = presence(load_dataset(folder), scope="zone", statuses=("active",))
    assert m.zones == ("A", "B", "C", "D", "Z", "外地")
    n = dict(zip(m.products, m.zones_making.tolist(), strict=True))
    assert n == {"g1": 2, "g2": 3, "g3": 1, "x": 3, "y": 2}
    phi = dict(zip(m.products, m.proximity("g1").tolist(), strict=True))
    assert phi == {"g1": 0.0, "g2": pytest.approx(1 / 3), "g3": 0.0, "x": pytest.approx(1 / 3), "y": 0.5}
    assert m.proximity("g3").tolist() == [0.0] * 5
    assert m.proximity("no such product").tolist() == [0.0] * 5


def test_density_and_its_inputs(folder: Path) -> None:
    rows = _rows(folder)
    g1, g2, g3 = rows["g1"], rows["g2"], rows["g3"]
    assert (g1.density, g1.proximity_made, g1.proximity_total, g1.zones_making) == (0.714286, 0.833333, 1.166667, 2)
    assert g1.drivers == ({"product": "y", "proximity": 0.5}, {"product": "x", "proximity": 0.333333})
    assert (g2.density, g2.proximity_made, g2.proximity_total) == (0.666667, 0.666667, 1.0)
    assert [d["product"] for d in g2.drivers] == ["x", "y"]  # tie on φ: by product
    assert (g3.density, g3.proximity_total, g3.driver_count, g3.zones_making) == (None, 0.0, 0, 1)
    # the chain-based relatedness beside it: g1's only output x is bought in Z
    assert (g1.chain_relatedness, g1.outputs, g1.outputs_bought) == (1.0, ("x",), ("x",))


def test_value_kept_multiplier_and_jobs(folder: Path) -> None:
    g1 = _rows(folder)["g1"]
    assert (g1.value_kept, g1.output_effect, g1.output_share, g1.jobs) == (1000 * W, 1500 * W, 0.05, 7.5)
    g1 = _rows(folder, capture=0.3, multiplier=2.0)["g1"]
    # 1000万 × 0.3 = 300万 kept; × 2 = 600万 output; 600万 × 100 people ÷ 2亿 (Z1 reports both) = 3 people
    assert (g1.value_kept, g1.output_effect, g1.output_share, g1.jobs) == (300 * W, 600 * W, 0.02, 3.0)


def test_attractiveness_medians_and_quadrants(folder: Path) -> None:
    m = gap_matrix(load_dataset(folder), opts=Z)
    got = {r.product: (r.parts, r.attractiveness, r.feasible, r.attractive, r.quadrant) for r in m.rows}
    assert got == {
        "g1": ({"value_kept": 1.0, "buyers": 0.5, "dependents": 1.0}, 0.875, True, True, "near_term"),
        "g2": ({"value_kept": 0.9, "buyers": 1.0, "dependents": 1.0}, 0.95, True, True, "near_term"),
        "g3": ({"value_kept": 0.2, "buyers": 0.5, "dependents": 1.0}, 0.475, False, False, "defer"),
    }
    assert (m.feasibility_median, m.attractiveness_median, m.zones) == (0.666667, 0.875, 6)
    assert [r.product for r in m.rows] == ["g2", "g1", "g3"]  # by quadrant, then attractiveness


def _item(p: str, made: float, total: float, demand: float, buyers: int, deps: int) -> MatrixInput:
    return MatrixInput(p, "missing", demand, buyers, tuple(f"d{i}" for i in range(deps)), made, total, 2, [], (), (),
                       (), ())  # fmt: skip


def test_every_quadrant_and_the_thresholds() -> None:
    """Densities 0.8, 0.2, 0.6, 0.1 (median 0.4); attractiveness 1, 0.675, 0.225, 0.175 (median 0.45).

    攻: demand 60/100 × 0.5 + buyers 2/2 × 0.25 + dependents 1/2 × 0.25 = 0.675.
    """
    items = [_item("近", 0.8, 1, 100, 2, 2), _item("攻", 0.2, 1, 60, 2, 1), _item("储", 0.6, 1, 20, 1, 0),
             _item("缓", 0.1, 1, 10, 1, 0)]  # fmt: skip
    m = matrix_rows("Z", "zone", items, capture=1.0, multiplier=1.5, zones=3, scale=ZoneScale(None, None, 0))
    got = {r.product: (r.density, r.attractiveness, r.quadrant) for r in m.rows}
    assert got == {"近": (0.8, 1.0, "near_term"), "攻": (0.2, 0.675, "key_push"), "储": (0.6, 0.225, "reserve"),
                   "缓": (0.1, 0.175, "defer")}  # fmt: skip
    assert (m.feasibility_median, m.attractiveness_median) == (0.4, 0.45)
    assert all(r.output_effect is None and r.jobs is None for r in m.rows)  # no output_value in the data


def test_a_zero_density_is_never_feasible() -> None:
    """Median 0 (most gaps have no related product): density 0 is not 'at the median', it is not feasible."""
    items = [_item("a", 0, 1, 100, 1, 0), _item("b", 0, 1, 50, 1, 0), _item("c", 0.5, 1, 10, 1, 0)]
    m = matrix_rows("Z", "zone", items, capture=1.0, multiplier=1.5, zones=3, scale=ZoneScale(None, None, 0))
    assert {r.product: r.feasible for r in m.rows} == {"a": False, "b": False, "c": True}


def test_options_are_checked() -> None:
    with pytest.raises(ChaingraphError, match=r"capture must be a share between 0 and 1, not 1\.5"):
        registry.MatrixParams(capture=1.5)
    with pytest.raises(ChaingraphError, match="multiplier must be at least 1"):
        registry.MatrixParams(multiplier=0.5)


def test_every_gap_output_has_the_quadrant(folder: Path) -> None:
    b = MemoryBackend(load_dataset(folder))
    g = registry.GAPS.run(b, Z, registry.NoParams())
    assert {r.product: r.quadrant for r in g.gaps} == {"g1": "near_term", "g2": "near_term", "g3": "defer"}
    assert g.to_dict()["gaps"][0]["quadrant"] == "near_term"
    a = registry.ANALYZE.run(b, Z, registry.NoParams())
    assert [r.quadrant for r in a.gaps.gaps] == [r.quadrant for r in g.gaps]
    r = rank_gaps(load_dataset(folder), opts=Z)
    assert {x.product: x.quadrant for x in r.ranked} == {"g1": "near_term", "g2": "near_term", "g3": "defer"}
    frame = csv_frames.gaps_frame(g)
    assert frame[["product", "quadrant", "quadrant_label"]].values.tolist()[0] == ["g1", "near_term", "近期可招"]
    assert csv_frames.ranking_frame(r)["quadrant_label"].tolist() == ["近期可招", "近期可招", "暂缓"]


def test_sample_raw_material_is_supply_security() -> None:
    b = MemoryBackend(load_dataset(Path(__file__).resolve().parent.parent / "data"))
    opts = Options(zone="晋城经开区")
    g = registry.GAPS.run(b, opts, registry.NoParams())
    assert next(r.quadrant for r in g.gaps if r.product == "铁矿石") == "supply_security"
    m = registry.MATRIX.run(b, opts, registry.MatrixParams())
    assert m.supply_security == ("铁矿石",) and "铁矿石" not in {r.product for r in m.rows}


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_the_gap_lists_quadrants_are_the_full_matrix_ones(engine: str) -> None:
    """The gap list's quadrant column (registry.quadrants_of: no relatedness, drivers or scale) equals the
    quadrants of the whole matrix, in every zone of the sample, raw materials as supply security."""
    from chaingraph.duckdb_engine import DuckDBBackend

    ds = load_dataset(Path(__file__).resolve().parent.parent / "data")
    b = MemoryBackend(ds) if engine == "memory" else DuckDBBackend(ds)
    zones = sorted({str(z) for z in ds.enterprises["zone"].dropna().tolist() if str(z)})
    assert len(zones) >= 3
    for zone in zones:
        opts = Options(zone=zone)
        g = b.gaps(opts=opts)
        m = registry.matrix_of(b, opts, gaps=g)
        want = {**{p: "supply_security" for p in m.supply_security}, **{r.product: r.quadrant for r in m.rows}}
        assert dict(registry.quadrants_of(b, opts, gaps=g)) == want
        assert registry.GAPS.run(b, opts, registry.NoParams()) == registry.with_quadrants(g, m)


def test_proximities_in_blocks_equal_proximity_one_by_one() -> None:
    import numpy as np

    from chaingraph.analysis import matrix as am

    rng = np.random.default_rng(7)
    made = rng.random((9, 600)) < 0.2
    made[:, 5] = False  # a product no zone makes
    products = tuple(f"p{k:03d}" for k in range(600))
    m = am.Presence(tuple(f"z{k}" for k in range(9)), products, made, {p: i for i, p in enumerate(products)})
    asked = [*products, "unknown"]
    got = am._proximities(m, asked)
    assert all(got[p].tobytes() == m.proximity(p).tobytes() for p in asked)


def test_whatif_gap_lists_unchanged(folder: Path) -> None:
    """A what-if's before/after gap lists carry no quadrant key (their JSON stays as it was)."""
    from chaingraph.analysis.gaps import gaps

    assert "quadrant" not in gaps(load_dataset(folder), opts=Z).to_dict()["gaps"][0]


def test_cli_gaps_json_and_table(folder: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["gaps", str(folder), "--zone", "Z", "-f", "json"])
    assert out.exit_code == 0, out.output
    assert [r["quadrant"] for r in json.loads(out.stdout)["gaps"]] == ["near_term", "near_term", "defer"]
    out = runner.invoke(main, ["gaps", str(folder), "--zone", "Z", "--rank", "-f", "csv"])
    assert out.exit_code == 0, out.output
    assert "quadrant,quadrant_label" in out.stdout.splitlines()[0]
    out = runner.invoke(main, ["gaps", str(folder), "--zone", "Z"])
    assert out.exit_code == 0 and "近期可招" in out.stdout and "暂缓" in out.stdout


def test_cli_matrix_command(folder: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["matrix", str(folder), "--zone", "Z", "-f", "json", "--capture", "0.3",
                               "--multiplier", "2"])  # fmt: skip
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert (doc["capture"], doc["multiplier"], doc["feasibility_median"]) == (0.3, 2.0, 0.666667)
    g1 = next(r for r in doc["rows"] if r["product"] == "g1")
    assert (g1["density"], g1["value_kept"], g1["output_effect"], g1["jobs"], g1["quadrant"]) == (
        0.714286, 3_000_000.0, 6_000_000.0, 3.0, "near_term")  # fmt: skip
    table = runner.invoke(main, ["matrix", str(folder), "--zone", "Z"])
    assert table.exit_code == 0 and "招商矩阵" in table.stdout and "近期可招" in table.stdout
    assert "可行: 关联密度 ≥ 园区缺口中位数 0.667 且 > 0" in table.stdout
    csv = runner.invoke(main, ["matrix", str(folder), "--zone", "Z", "-f", "csv"])
    assert csv.stdout.splitlines()[0].startswith("product,kind,quadrant,quadrant_label,density")


@pytest.mark.parametrize(("args", "message"), [
    (["--capture", "1.5"], "Error: --capture must be a share between 0 and 1, not 1.5.\n"),
    (["--multiplier", "0.5"], "Error: --multiplier must be at least 1 (the firm's own output), not 0.5.\n"),
])  # fmt: skip
def test_cli_matrix_options_out_of_range(folder: Path, args: list[str], message: str) -> None:
    for cmd in (["matrix", str(folder), "--zone", "Z"], ["report", str(folder), "--zone", "Z", "-o",
                                                         str(folder.parent / "rep")]):  # fmt: skip
        out = CliRunner().invoke(main, [*cmd, *args])
        assert (out.exit_code, out.stderr) == (2, message), cmd
    assert not (folder.parent / "rep").exists()  # refused before anything is written


def test_report_options_are_the_matrix_commands() -> None:
    """report's --capture and --multiplier say what matrix's declared ones say, with the same defaults."""
    from chaingraph.cli import report

    declared = {p.flag.name: (p.flag.help, p.default) for p in registry.params_of(registry.MatrixParams)}
    own = {o.opts[0]: (o.help, o.default) for o in report.params if o.opts[0] in declared}
    assert own == declared


def test_report_uses_the_capture_given(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "r"
    r = CliRunner().invoke(main, ["report", str(folder), "--zone", "Z", "-o", str(out), "--capture", "0.3"])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out / "workbook.xlsx")["招商矩阵"]
    head = [c.value for c in ws[2]]
    kept = {row[1]: row[head.index("补链可留本地（元，精确值）")] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert kept == {"g1": 3_000_000.0, "g2": 2_700_000.0, "g3": 600_000.0}
