"""The naive peer: rows into a networkx MultiDiGraph, then Python loops.

What a first version of chaingraph would look like without pandas: the same
local sourcing ratio and the same list of missing products with their
external demand, computed edge by edge.  Used by benchmarks/run.py only.

    python benchmarks/naive.py DATA_DIR ZONE
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict

import networkx as nx


def main(folder: str, zone: str) -> None:
    g = nx.MultiDiGraph()
    with open(f"{folder}/enterprises.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            g.add_node(row["id"], zone=row["zone"], products=[p for p in row.get("products", "").split(";") if p])
    with open(f"{folder}/links.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row.get("status") or "active") != "active":
                continue
            value = (
                float(row["annual_value"])
                if row.get("annual_value")
                else (float(row["annual_volume"]) * float(row["unit_price"]))
            )
            g.add_edge(row["supplier_id"], row["buyer_id"], product=row["product"], value=round(value, 2))
    local = total = 0.0
    makers: set[str] = set()
    demand: dict[str, float] = defaultdict(float)
    for n, data in g.nodes(data=True):
        if data["zone"] == zone:
            makers.update(data["products"])
            for _, _, e in g.out_edges(n, data=True):
                makers.add(e["product"])
    for s, b, e in g.edges(data=True):
        if g.nodes[b]["zone"] != zone:
            continue
        total += e["value"]
        if g.nodes[s]["zone"] == zone:
            local += e["value"]
        else:
            demand[e["product"]] += e["value"]
    missing = sorted(((p, round(v, 2)) for p, v in demand.items() if p not in makers), key=lambda x: (-x[1], x[0]))
    print(
        json.dumps(
            {"local_sourcing_ratio": round(local / total, 6) if total else None, "missing": missing[:20]},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
