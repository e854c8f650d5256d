"""Random small datasets for the engine-equality tests (DuckDB and Spark against the in-memory engine)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from chaingraph import registry
from chaingraph.load import load_dataset
from chaingraph.model import Dataset
from chaingraph.render.fmt import to_json
from chaingraph.results.options import Options

ZONES = ["甲经开区", "乙经开区", "深圳市", ""]
PRODUCTS = ["钢", "铝", "箱体", "桩", "芯片"]
#: A small chain map over PRODUCTS (a subset is drawn): input → product rows of two chains.
CHAIN_ROWS = [("充电桩", "桩", "箱体"), ("充电桩", "箱体", "钢"), ("充电桩", "钢", ""), ("充电桩", "桩", "芯片"),
              ("铝材", "铝", ""), ("铝材", "箱体", "铝")]  # fmt: skip
#: Amounts: whole yuan, fen, and values with more decimals (a plain float sum rounds these differently).
AMOUNTS = st.one_of(
    st.integers(0, 10**7).map(float),
    st.integers(1, 10**9).map(lambda c: c / 100),
    st.sampled_from([0.967, 47337.04, 9371.268, 0.1, 0.2, 0.3, 0.0035, 0.0046, 980737.2, 961657.19, 724789.94]),
)
PRICES = st.one_of(st.none(), st.sampled_from([0.0035, 0.0046, 1.0, 12.5, 300.0, 450.0, 3300.0, 2850.5]))


@st.composite
def datasets(draw: Any) -> dict[str, Any]:
    """A dataset as rows: firms in two zones and outside, links of every status, maybe a chain map."""
    n = draw(st.integers(2, 8))
    firms = []
    for i in range(n):
        zone = draw(st.sampled_from(ZONES))
        listed = draw(st.lists(st.sampled_from(PRODUCTS), max_size=2, unique=True))
        industry = draw(st.lists(st.sampled_from(["充电桩", "铝材", "芯片"]), max_size=2, unique=True))
        firms.append((f"F{i}", f"企业{i}", zone, "晋城市" if zone.endswith("经开区") else "外市", ";".join(listed),
                      ";".join(industry)))  # fmt: skip
    links = []
    for _ in range(draw(st.integers(1, 25))):
        s, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if s == b:
            continue
        price = draw(PRICES)
        by_volume = price is not None and draw(st.booleans())
        amount = draw(AMOUNTS)
        volume = draw(st.integers(1, 5000)) if by_volume else (draw(st.one_of(st.none(), st.integers(1, 5000))))
        value = None if by_volume else amount
        if value is None and volume is None:
            value = amount
        logistics = draw(st.one_of(st.none(), st.sampled_from([0.0, 0.0011, 5.0, 30.0]))) if price is not None else None
        status = draw(st.sampled_from(["active", "active", "planned", "former"]))
        links.append((f"F{s}", f"F{b}", draw(st.sampled_from(PRODUCTS)), value, volume, price, logistics, status))
    chains = draw(st.one_of(st.none(), st.lists(st.sampled_from(CHAIN_ROWS), min_size=1, max_size=6, unique=True)))
    return {"firms": firms, "links": links, "chains": chains}


def write(rows: dict[str, Any], folder: Path) -> Path:
    """The rows as enterprises.csv, links.csv (and chains.csv) in ``folder``."""
    from tests.conftest import L_HEAD, write_csv

    write_csv(folder / "enterprises.csv", ["id", "name", "zone", "city", "products", "industry"], rows["firms"])
    write_csv(folder / "links.csv", L_HEAD, rows["links"])
    if rows["chains"] is not None:
        write_csv(folder / "chains.csv", ["chain", "product", "input"], rows["chains"])
    return folder


def load(rows: dict[str, Any]) -> Dataset:
    with tempfile.TemporaryDirectory() as d:
        return load_dataset(write(rows, Path(d)), skip_bad=True)


def figures(backend: Any, *, zones: int | None = None, planned: tuple[bool, ...] = (False, True),
            scopes: tuple[str, ...] = ("zone", "city")) -> dict[str, str]:  # fmt: skip
    """Every figure an engine gives: closure, savings, gaps and the gap matrix of each zone (each scope, planned or
    not) and the all-zones summary, as the JSON the CLI writes."""
    out: dict[str, str] = {}
    for scope in scopes:
        for p in planned:
            for z in backend.zones(scope=scope)[:zones]:
                o = Options(zone=z, scope=scope, include_planned=p)
                for name in ("closure", "savings", "gaps", "matrix"):  # gaps with its quadrants, as the CLI runs them
                    spec = registry.ALL[name]
                    params = registry.MatrixParams() if name == "matrix" else registry.NoParams()
                    out[f"{scope} {p} {z} {name}"] = to_json(spec.run(backend, o, params).to_dict())
            t = backend.zones_summary(opts=Options(zone="", scope=scope, include_planned=p))
            out[f"{scope} {p} summary"] = to_json(t.astype(object).where(t.notna(), None).to_dict("records"))
    return out
