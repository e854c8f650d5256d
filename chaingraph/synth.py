"""Synthetic supply data of any size: many zones, product layers, outside firms.

Vectorised with numpy so that millions of links take seconds.  Used by
``chaingraph synth``, the benchmarks and the equivalence tests.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMATS", "PIECE_LINKS", "SynthSpec", "synth", "write_synth"]

REGIONS = ["深圳市", "东莞市", "苏州市", "上海市", "无锡市", "宁波市", "太原市", "天津市", "西安市", "郑州市",
           "香港", "北京市", "常州市", "廊坊市", "成都市", "武汉市", "合肥市", "青岛市", "厦门市", "重庆市"]  # fmt: skip


@dataclass(frozen=True)
class SynthSpec:
    """What to generate.

    Parameters
    ----------
    links
        Number of link rows.
    zones
        Number of development zones (名称 "园区01经开区" …); the rest of the
        firms sit in outside regions.
    layers
        Product layers: layer-0 products are raw materials, each layer's
        firms buy the layer below.
    seed
        Random seed: the same spec gives the same files.
    chains
        Write a chain map (chains.csv) over the product layers.
    """

    links: int = 10_000
    zones: int = 5
    layers: int = 5
    seed: int = 0
    chains: bool = True


@dataclass(frozen=True)
class _World:
    """The firms and products every link is drawn among."""

    n_firms: int
    n_products: int
    layer_of_product: np.ndarray
    products: np.ndarray
    ids: np.ndarray
    local: np.ndarray
    zone: np.ndarray
    made: np.ndarray
    kind: np.ndarray
    enterprises: pd.DataFrame


def _world(spec: SynthSpec, rng: np.random.Generator) -> _World:
    n_links = max(1, spec.links)
    n_products = max(spec.layers * 4, int(np.sqrt(n_links) * 1.5))
    n_firms = max(30, n_links // 6)
    layer_of_product = np.sort(rng.integers(0, spec.layers, n_products))
    layer_of_product[: spec.layers] = np.arange(spec.layers)
    layer_of_product.sort()
    products = np.array([f"产品{i:05d}" for i in range(n_products)])
    zones = np.array([f"园区{z + 1:02d}经开区" for z in range(spec.zones)])
    local = rng.random(n_firms) < 0.6
    zone = np.where(local, zones[rng.integers(0, spec.zones, n_firms)],
                    np.array(REGIONS)[rng.integers(0, len(REGIONS), n_firms)])  # fmt: skip
    made = rng.integers(0, n_products, n_firms)  # each firm's main product
    ids = np.array([f"E{i:07d}" for i in range(n_firms)])
    kind = np.where(rng.random(n_firms) < 0.03, "logistics", "manufacturer")
    enterprises = pd.DataFrame({
        "id": ids, "name": [f"企业{i}" for i in range(n_firms)], "zone": zone,
        "city": np.where(local, "示例市", zone), "province": np.where(local, "山西省", "外省"),
        "industry": "示例产业", "products": products[made], "kind": kind,
        "output_value": (rng.lognormal(18, 1.2, n_firms)).round(0),
    })  # fmt: skip
    return _World(n_firms, n_products, layer_of_product, products, ids, local, zone, made, kind, enterprises)


def _links(w: _World, n_links: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n_links`` links among the world's firms."""
    n_firms, n_products, layer_of_product, ids = w.n_firms, w.n_products, w.layer_of_product, w.ids
    made, local, zone, kind, products = w.made, w.local, w.zone, w.kind, w.products
    # makers per product (CSR) to draw suppliers from
    order = np.argsort(made, kind="stable")
    counts = np.bincount(made, minlength=n_products)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    buyer = rng.integers(0, n_firms, n_links)
    blayer = layer_of_product[made[buyer]]
    # the buyer's input: a product of the layer below (raw-material makers buy raw materials too)
    lo = np.searchsorted(layer_of_product, np.maximum(blayer - 1, 0), side="left")
    hi = np.searchsorted(layer_of_product, np.maximum(blayer - 1, 0), side="right")
    product = lo + (rng.random(n_links) * (hi - lo)).astype(np.int64)
    has_maker = counts[product] > 0
    pick = offsets[product] + (rng.random(n_links) * np.maximum(counts[product], 1)).astype(np.int64)
    supplier = np.where(has_maker, order[np.minimum(pick, n_firms - 1)], rng.integers(0, n_firms, n_links))
    clash = supplier == buyer
    supplier[clash] = (supplier[clash] + 1) % n_firms
    status = rng.choice(np.array(["active", "planned", "former"]), n_links, p=[0.85, 0.07, 0.08])
    priced = rng.random(n_links) < 0.7
    price = np.where(priced, rng.lognormal(6, 1.0, n_links).round(2), np.nan)
    volume = np.where(priced, rng.integers(10, 50_000, n_links).astype(float), np.nan)
    value = np.where(priced, np.nan, rng.lognormal(14, 1.3, n_links).round(0))
    logistics = np.where(
        priced & (rng.random(n_links) < 0.6), (price * rng.uniform(0.01, 0.08, n_links)).round(2), np.nan
    )
    logistics_firms = np.flatnonzero(kind == "logistics")
    via = np.full(n_links, "", dtype=object)
    if len(logistics_firms):
        routed = rng.random(n_links) < 0.02
        via[routed] = ids[logistics_firms[rng.integers(0, len(logistics_firms), int(routed.sum()))]]
    links = pd.DataFrame({
        "supplier_id": ids[supplier], "buyer_id": ids[buyer], "product": products[product],
        "annual_value": value, "annual_volume": volume, "unit_price": price, "logistics_cost": logistics,
        "status": status, "via": via,
    })  # fmt: skip
    # some replaced outside suppliers: a former outside link beside an active local one
    act_local = np.flatnonzero((status == "active") & priced & local[buyer] & (zone[supplier] == zone[buyer]))
    take = act_local[: max(1, len(act_local) // 10)] if len(act_local) else act_local
    outsiders = np.flatnonzero(~local)
    if len(take) and len(outsiders):
        former = links.iloc[take].copy()
        former["supplier_id"] = ids[outsiders[rng.integers(0, len(outsiders), len(take))]]
        former["status"] = "former"
        former["unit_price"] = (former["unit_price"] * rng.uniform(1.0, 1.3, len(take))).round(2)
        links = pd.concat([links, former], ignore_index=True).iloc[:n_links]
    return links


def _chains(w: _World, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for c in range(3):
        members = rng.choice(w.n_products, size=min(w.n_products, 12), replace=False)
        members = members[np.argsort(w.layer_of_product[members], kind="stable")]
        for p in members:
            inputs = [q for q in members if w.layer_of_product[q] == w.layer_of_product[p] - 1][:2]
            if not inputs:
                rows.append((f"产业链{c + 1}", w.products[p], ""))
            rows += [(f"产业链{c + 1}", w.products[p], w.products[q]) for q in inputs]
    return pd.DataFrame(rows, columns=["chain", "product", "input"])


def synth(spec: SynthSpec) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Enterprises, links and (optionally) chains as frames in the CSV layout."""
    rng = np.random.default_rng(spec.seed)
    w = _world(spec, rng)
    links = _links(w, max(1, spec.links), rng)
    chains = _chains(w, rng) if spec.chains else None
    return w.enterprises, links, chains


#: Above this many links, :func:`write_synth` draws and writes the links in pieces of this size (each piece from
#: its own seed, so the files differ from one drawn whole, but the same spec still gives the same files), so that
#: memory stays at one piece's whatever the size.
PIECE_LINKS = 5_000_000
FORMATS = ("csv", "parquet")


def write_synth(spec: SynthSpec, folder: str | Path, *, encoding: str = "utf-8", fmt: str = "csv") -> Path:
    """Write the tables into ``folder``: CSV files (``gb18030`` for Excel-on-Windows files) or Parquet (``fmt``).

    Examples
    --------
    >>> import tempfile
    >>> out = write_synth(SynthSpec(links=50), tempfile.mkdtemp(), fmt="parquet")
    >>> sorted(p.name for p in out.iterdir())
    ['chains.parquet', 'enterprises.parquet', 'links.parquet']
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if spec.links > PIECE_LINKS:
        _write_in_pieces(spec, out, encoding=encoding, fmt=fmt)
        return out
    ent, links, chains = synth(spec)
    tables = {"enterprises": ent, "links": links, "chains": chains}
    for name, frame in tables.items():
        if frame is None:
            continue
        if fmt == "csv":
            frame.to_csv(out / f"{name}.csv", index=False, encoding=encoding)
        else:
            _write_parquet(frame, out / f"{name}.parquet")
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="zstd")


def _write_in_pieces(spec: SynthSpec, out: Path, *, encoding: str, fmt: str) -> None:
    """The links drawn and appended piece by piece (CSV through pyarrow's writer: fast, cells quoted as needed)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(spec.seed)
    w = _world(spec, rng)
    chains = _chains(w, rng) if spec.chains else None
    small = {"enterprises": w.enterprises, "chains": chains}
    for name, frame in small.items():
        if frame is None:
            continue
        if fmt == "csv":
            frame.to_csv(out / f"{name}.csv", index=False, encoding=encoding)
        else:
            _write_parquet(frame, out / f"{name}.parquet")
    path = out / f"links.{fmt}"
    writer: Any = None
    sink = path.open("wb") if fmt == "csv" else None
    try:
        for k, start in enumerate(range(0, spec.links, PIECE_LINKS)):
            piece = _links(w, min(PIECE_LINKS, spec.links - start), np.random.default_rng([spec.seed, k + 1]))
            table = pa.Table.from_pandas(piece, preserve_index=False)
            if fmt == "parquet":
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=1_000_000)
                continue
            table = table.cast(pa.schema([pa.field(f.name, pa.string()) if pa.types.is_string(f.type)
                                          or pa.types.is_large_string(f.type) else f for f in table.schema]))  # fmt: skip
            data = io.BytesIO()
            pcsv.write_csv(table, data, pcsv.WriteOptions(include_header=k == 0, quoting_style="needed"))
            raw = data.getvalue()
            assert sink is not None
            sink.write(raw if encoding == "utf-8" else raw.decode("utf-8").encode(encoding))
    finally:
        if writer is not None:
            writer.close()
        if sink is not None:
            sink.close()
