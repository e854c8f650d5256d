"""The naive peer: rows into a networkx MultiDiGraph, then Python loops.

What a first version of chaingraph would look like without pandas: the CSV
rows read with the csv module into one MultiDiGraph (enterprises as nodes,
links as edges with their numbers), and each figure of docs/analysis.md computed by
walking nodes and edges in Python.  It computes the same figures as the
command it stands in for, and ``benchmarks/run.py`` checks that they agree:

- closure: local sourcing ratio, local and total value, stage coverage per end
  product (chains.csv, or the derived product-flow graph).  Not the listing of
  local chains.
- savings: every realized and potential row's annual saving, and the totals.
- gaps: every gap's kind, external demand, outside suppliers with their
  shares, and the local products that depend on it.

    python benchmarks/naive.py closure|savings|gaps DATA_DIR ZONE [--rate R]
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

SPLIT = re.compile(r"\s*[;；]\s*")


def _num(text: str | None) -> float | None:
    text = (text or "").strip().replace(",", "")
    return float(text) if text else None


def _money(x: float) -> float:
    return round(x + 0.0, 2) + 0.0


def _fen(x: float) -> int:
    return round(_money(x) * 100)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 6) + 0.0 if b else None


def read(folder: str) -> tuple[nx.MultiDiGraph, list[dict[str, str]]]:
    """Enterprises as nodes, links as edges (value, landed, vol, status), chains.csv rows."""
    g = nx.MultiDiGraph()
    with open(f"{folder}/enterprises.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            products = {p for p in SPLIT.split(row.get("products") or "") if p.strip()}
            g.add_node(row["id"].strip(), zone=row["zone"].strip(), products={p.strip() for p in products})
    with open(f"{folder}/links.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            price, volume = _num(row.get("unit_price")), _num(row.get("annual_volume"))
            value = _num(row.get("annual_value"))
            if value is None:
                value = (volume or 0.0) * (price or 0.0)
            landed = None if price is None else price + (_num(row.get("logistics_cost")) or 0.0)
            vol = volume if volume is not None else (value / price if price else (0.0 if price == 0 else None))
            g.add_edge(row["supplier_id"].strip(), row["buyer_id"].strip(), product=row["product"].strip(),
                       status=(row.get("status") or "active").strip(), value=value, landed=landed, vol=vol)  # fmt: skip
    chains: list[dict[str, str]] = []
    if Path(f"{folder}/chains.csv").is_file():
        with open(f"{folder}/chains.csv", encoding="utf-8-sig", newline="") as fh:
            chains = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]
    return g, chains


def _in(g: nx.MultiDiGraph, n: str, zone: str) -> bool:
    return g.nodes[n]["zone"] == zone


def _makers(g: nx.MultiDiGraph, zone: str) -> dict[str, set[str]]:
    """Product → the zone's firms that list it or sell it on an active link."""
    made: dict[str, set[str]] = defaultdict(set)
    for n, data in g.nodes(data=True):
        if data["zone"] == zone:
            for p in data["products"]:
                made[p].add(n)
            for _, _, e in g.out_edges(n, data=True):
                if e["status"] == "active":
                    made[e["product"]].add(n)
    return made


def _product_flow(g: nx.MultiDiGraph, chains: list[dict[str, str]]) -> nx.DiGraph:
    """P → Q when a firm buys P and sells Q on active links, plus chains.csv's input → product."""
    flow = nx.DiGraph()
    for n in g.nodes:
        bought = {e["product"] for _, _, e in g.in_edges(n, data=True) if e["status"] == "active"}
        sold = {e["product"] for _, _, e in g.out_edges(n, data=True) if e["status"] == "active"}
        flow.add_nodes_from(bought | sold)
        flow.add_edges_from((p, q) for p in bought for q in sold if p != q)
    for r in chains:
        flow.add_node(r["product"])
        if r["input"]:
            flow.add_edge(r["input"], r["product"])
    return flow


def _weighted(links: list[dict[str, Any]]) -> float:
    v = sum(e["value"] for e in links)
    if v > 0:
        return sum(e["value"] * e["landed"] for e in links) / v
    return sum(e["landed"] for e in links) / len(links)


def closure(g: nx.MultiDiGraph, chains: list[dict[str, str]], zone: str) -> dict[str, Any]:
    local = total = 0
    for s, b, e in g.edges(data=True):
        if e["status"] == "active" and _in(g, b, zone):
            total += round(e["value"] * 100)
            if _in(g, s, zone):
                local += round(e["value"] * 100)
    made = set(_makers(g, zone))
    rows = []
    if chains:
        for chain in sorted({r["chain"] for r in chains}):
            cg = nx.DiGraph()
            for r in chains:
                if r["chain"] == chain:
                    cg.add_node(r["product"])
                    if r["input"]:
                        cg.add_edge(r["input"], r["product"])
            for q in sorted(n for n in cg if cg.out_degree(n) == 0):
                up = nx.ancestors(cg, q) | {q}
                rows.append([chain, q, _ratio(len(up & made), len(up)) or 0.0])
    else:
        flow = _product_flow(g, chains)
        sold, turned = set(), set()
        for n in g.nodes:
            if not _in(g, n, zone):
                continue
            out = {e["product"] for _, _, e in g.out_edges(n, data=True) if e["status"] == "active"}
            sold |= out
            for _, _, e in g.in_edges(n, data=True):
                if e["status"] == "active" and out - {e["product"]}:
                    turned.add(e["product"])
        for q in sold - turned:
            up = nx.ancestors(flow, q) | {q}
            rows.append([None, q, _ratio(len(up & made), len(up)) or 0.0])
        rows.sort(key=lambda r: (r[2], r[1]))
    return {"local_sourcing_ratio": _ratio(local, total), "local_value": local / 100, "total_value": total / 100,
            "chains": rows}  # fmt: skip


def savings(g: nx.MultiDiGraph, zone: str, *, rate: float = 0.05) -> dict[str, Any]:
    former: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    now: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s, b, e in g.edges(data=True):
        if not _in(g, b, zone) or e["landed"] is None:
            continue
        if e["status"] == "former" and not _in(g, s, zone):
            former[(b, e["product"])].append(e)
        elif e["status"] == "active" and _in(g, s, zone):
            now[(b, e["product"])].append(e)
    realized = []
    for key in former.keys() & now.keys():
        unit = _weighted(former[key]) - _weighted(now[key])
        realized.append([*key, _money(unit * sum(e["vol"] for e in now[key]))])
    makers = _makers(g, zone)
    sells: dict[str, list[dict[str, Any]]] = defaultdict(list)  # priced active sales by the zone's firms
    for s, _, e in g.edges(data=True):
        if e["status"] == "active" and e["landed"] is not None and _in(g, s, zone):
            sells[e["product"]].append(e)
    potential = []
    for s, b, e in g.edges(data=True):
        if e["status"] != "active" or _in(g, s, zone) or not _in(g, b, zone):
            continue
        if not makers.get(e["product"], set()) - {b}:
            continue
        if e["landed"] is None:
            annual = e["value"] * rate
        else:
            ref = _weighted(sells[e["product"]]) if sells.get(e["product"]) else e["landed"] * (1 - rate)
            annual = max(0.0, e["landed"] - ref) * (e["vol"] or 0.0)
        potential.append([b, e["product"], s, _money(annual)])
    return {"realized": sorted(realized), "potential": sorted(potential),
            "total_realized": sum(_fen(r[2]) for r in realized) / 100,
            "total_potential": sum(_fen(p[3]) for p in potential) / 100}  # fmt: skip


def gaps(g: nx.MultiDiGraph, chains: list[dict[str, str]], zone: str) -> dict[str, Any]:
    demand: dict[str, float] = defaultdict(float)
    purchase: dict[str, float] = defaultdict(float)
    sellers: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s, b, e in g.edges(data=True):
        if e["status"] != "active" or not _in(g, b, zone):
            continue
        purchase[e["product"]] += e["value"]
        if not _in(g, s, zone):
            demand[e["product"]] += e["value"]
            sellers[e["product"]][s] += e["value"]
    makers = _makers(g, zone)
    stages = {r["product"] for r in chains} | {r["input"] for r in chains if r["input"]}
    chain_g = nx.DiGraph()
    for r in chains:
        chain_g.add_node(r["product"])
        if r["input"]:
            chain_g.add_edge(r["input"], r["product"])
    flow = None
    rows = []
    for p in sorted(set(purchase) | stages):
        n, d = len(makers.get(p, ())), demand.get(p, 0.0)
        if d > 0 and n == 0:
            kind = "missing"
        elif n == 1 and purchase.get(p, 0.0) > 0 and d / purchase[p] >= 0.5:
            kind = "weak"
        elif n == 0 and p in stages:
            kind = "empty"
        else:
            continue
        if p in chain_g:
            down = nx.descendants(chain_g, p)
        else:
            flow = flow if flow is not None else _product_flow(g, chains)
            down = nx.descendants(flow, p) if p in flow else set()
        sup = sorted(sellers[p].items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({"product": p, "kind": kind, "external_demand": _money(d),
                     "suppliers": [[i, _ratio(v, d)] for i, v in sup],
                     "dependents": sorted(q for q in down if q in makers)})  # fmt: skip
    order = {"missing": 0, "weak": 1, "empty": 2}
    rows.sort(key=lambda r: (-r["external_demand"], order[r["kind"]], r["product"]))
    return {"gaps": rows}


def agree(kind: str, naive: dict[str, Any], cg: dict[str, Any]) -> list[str]:
    """Where the naive figures differ from chaingraph's JSON for the same command (empty: they agree).

    Money may differ by a fen per row: the two sum floats in different orders before rounding.
    """

    def near(a: float | None, b: float | None, tol: float = 0.011) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tol)

    diffs: list[str] = []
    if kind == "closure":
        for k in ("local_sourcing_ratio", "local_value", "total_value"):
            if not near(naive[k], cg[k]):
                diffs.append(f"{k}: {naive[k]} vs {cg[k]}")
        ours = [[c["chain"], c["end_product"], c["stage_coverage"]] for c in cg["chains"]]
        if naive["chains"] != ours:
            diffs.append(
                f"chains: {len(naive['chains'])} rows vs {len(ours)}, first {naive['chains'][:2]} vs {ours[:2]}"
            )
    elif kind == "savings":
        real = sorted([r["buyer_id"], r["product"], r["annual_saving"]] for r in cg["realized"])
        pot = sorted([p["buyer_id"], p["product"], p["supplier_id"], p["annual_saving"]] for p in cg["potential"])
        for name, a, b in (("realized", naive["realized"], real), ("potential", naive["potential"], pot)):
            if len(a) != len(b) or any(x[:-1] != y[:-1] or not near(x[-1], y[-1]) for x, y in zip(a, b, strict=False)):
                diffs.append(f"{name}: {len(a)} rows vs {len(b)}")
        for k in ("total_realized", "total_potential"):
            if not near(naive[k], cg[k], 0.011 * max(1, len(cg["potential"]))):
                diffs.append(f"{k}: {naive[k]} vs {cg[k]}")
    else:
        a, b = naive["gaps"], cg["gaps"]
        if [(r["product"], r["kind"]) for r in a] != [(r["product"], r["kind"]) for r in b]:
            diffs.append(f"gaps: {len(a)} rows vs {len(b)}")
        for x, y in zip(a, b, strict=False):
            sup = [[s["id"], s["share"]] for s in y["suppliers"]]
            if (
                not near(x["external_demand"], y["external_demand"])
                or x["dependents"] != y["dependents"]
                or any(i != j[0] or not near(v, j[1], 2e-6) for (i, v), j in zip(x["suppliers"], sup, strict=False))
                or len(x["suppliers"]) != len(sup)
            ):
                diffs.append(f"gap {x['product']}: differs")
    return diffs


def main(argv: list[str]) -> None:
    kind, folder, zone = argv[:3]
    rate = float(argv[argv.index("--rate") + 1]) if "--rate" in argv else 0.05
    g, chains = read(folder)
    if kind == "closure":
        out = closure(g, chains, zone)
    elif kind == "savings":
        out = savings(g, zone, rate=rate)
    else:
        out = gaps(g, chains, zone)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
