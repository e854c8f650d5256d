"""Synthetic supply data of any size: many zones, product layers, outside firms.

Vectorised with numpy so that millions of links take seconds.  Used by
``chaingraph synth``, the benchmarks and the equivalence tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SynthSpec", "synth", "write_synth"]

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


def synth(spec: SynthSpec) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Enterprises, links and (optionally) chains as frames in the CSV layout."""
    rng = np.random.default_rng(spec.seed)
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
    chains = None
    if spec.chains:
        rows = []
        for c in range(3):
            members = rng.choice(n_products, size=min(n_products, 12), replace=False)
            members = members[np.argsort(layer_of_product[members], kind="stable")]
            for p in members:
                inputs = [q for q in members if layer_of_product[q] == layer_of_product[p] - 1][:2]
                if not inputs:
                    rows.append((f"产业链{c + 1}", products[p], ""))
                rows += [(f"产业链{c + 1}", products[p], products[q]) for q in inputs]
        chains = pd.DataFrame(rows, columns=["chain", "product", "input"])
    return enterprises, links, chains


def write_synth(spec: SynthSpec, folder: str | Path, *, encoding: str = "utf-8") -> Path:
    """Write the three CSV files into ``folder`` (``gb18030`` for Excel-on-Windows files)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ent, links, chains = synth(spec)
    ent.to_csv(out / "enterprises.csv", index=False, encoding=encoding)
    links.to_csv(out / "links.csv", index=False, encoding=encoding)
    if chains is not None:
        chains.to_csv(out / "chains.csv", index=False, encoding=encoding)
    return out
