"""The interactive graph: one self-contained HTML file that works with no network.

:func:`build_view` selects the zone's firms, links and gaps and turns them into
plain records; :func:`write_html` puts them, vis-network's JavaScript and CSS
(inlined from the pyvis package, so nothing is fetched from a CDN) and the
page's own script into one file.

What the page shows and how (``assets/view.html`` draws it):

- Chain order: every node has a column, the depth of the product it sells in
  the product flow graph (chains.csv rows plus "buys P, sells Q"), upstream
  left, downstream right.  Local firms sit in bands by park; outside
  suppliers in a band above, each next to the local firm or gap it supplies;
  outside buyers below; gap products (缺链/弱链/空白) in a band of their own
  between the two.  The page lays the nodes out itself, so a filter lays the
  remaining nodes out again and re-fits.
- Nodes are numbered 0..n-1 and edges 0..m-1 here: the data's ids never
  become page ids, so no id or name can collide with another (``a>b`` +
  ``b>c``, or a firm ``gap:p9`` beside product ``p9``).
- Every name reaches the page as JSON inside a ``<script
  type="application/json">`` block (``<``, ``>``, ``&`` escaped) and is put on
  screen with ``textContent``: a name cannot inject HTML or script.
- Above ``max_nodes`` firms the page opens on clusters (one per zone or
  region, the zone's own firms one per park), each labelled with its figures;
  clicking a cluster draws its firms and their partners in the same file.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import deque
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from chaingraph.analysis.context import zone_members
from chaingraph.listcells import split_list
from chaingraph.model import Dataset
from chaingraph.render.fmt import gap_kind
from chaingraph.results.gaps import Gaps
from chaingraph.results.options import Options

__all__ = ["LABEL_ALL", "MAX_NODES", "GraphView", "build_view", "write_html"]

#: Above this many firms the view opens on clusters (a zone or region each) and drills down on click.
MAX_NODES = 3000
#: Up to this many nodes every label is drawn at the default zoom; beyond, labels appear on zooming in.
LABEL_ALL = 150

PARK_COLORS = ["#1f77b4", "#2ca02c", "#17becf", "#9467bd", "#3b5ba5", "#1b9e77", "#66a61e", "#7570b3",
               "#8c6d31", "#e377c2"]  # fmt: skip
OUTSIDE = "#9e9e9e"
INVITE = "#ff7f0e"
GAP = "#d62728"
GAP_COLORS = {"missing": GAP, "weak": "#f07b72", "empty": "#f6b3ae"}
HUB = "#6a3d9a"
STATUS_LABEL = {"active": "在供", "planned": "拟供", "former": "历史"}
FIRM_KIND_LABEL = {"manufacturer": "生产企业", "logistics": "物流/保税企业", "trader": "贸易商"}
NO_PARK = "未注明园区"

#: One line style per meaning (the legend lists them in this order).
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "active": {"label": "在供: 实线, 线宽按年采购额", "color": "#7f7f7f", "dashes": False},
    "planned": {"label": "拟供: 虚线", "color": "#4f81bd", "dashes": [10, 6]},
    "need": {"label": "缺链 → 需要它的区内企业: 红色点线", "color": GAP, "dashes": [2, 5]},
    "invite": {"label": "招商对象 → 缺链: 橙色粗线", "color": INVITE, "dashes": False},
    "route": {"label": "途经中转/贸易商: 紫色点划线", "color": HUB, "dashes": [12, 4, 2, 4]},
}


@dataclass(frozen=True)
class GraphView:
    """What the page draws: plain records, positions left to the page.

    ``nodes`` and ``edges`` are numbered by their place in the list (``from``
    and ``to`` are node numbers); ``clusters`` is empty unless ``aggregated``.
    """

    title: str
    zone: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    columns: list[str]
    parks: list[dict[str, str]]
    chains: list[str]
    products: list[str]
    legend: list[dict[str, Any]]
    note: str
    aggregated: bool
    clusters: list[dict[str, Any]] = field(default_factory=list)
    cluster_edges: list[dict[str, Any]] = field(default_factory=list)


def _chains_of(ds: Dataset) -> dict[str, list[str]]:
    if ds.chains is None:
        return {}
    out: dict[str, set[str]] = {}
    for chain, product, inp in ds.chains[["chain", "product", "input"]].itertuples(index=False):
        out.setdefault(str(product), set()).add(str(chain))
        if inp:
            out.setdefault(str(inp), set()).add(str(chain))
    return {k: sorted(v) for k, v in out.items()}


def _neighbourhood(links: pd.DataFrame, focus: str, hops: int) -> set[str]:
    adj: dict[str, set[str]] = {}
    for s, b in zip(links["supplier_id"].tolist(), links["buyer_id"].tolist(), strict=True):
        adj.setdefault(s, set()).add(b)
        adj.setdefault(b, set()).add(s)
    seen = {focus}
    frontier: deque[tuple[str, int]] = deque([(focus, 0)])
    while frontier:
        node, d = frontier.popleft()
        if d == hops:
            continue
        for nb in adj.get(node, ()):
            if nb not in seen:
                seen.add(nb)
                frontier.append((nb, d + 1))
    return seen


def product_depths(ds: Dataset, links: pd.DataFrame) -> dict[str, int]:
    """Each product's depth: the longest chain of inputs below it (raw materials 0).

    The graph is the product flow graph of the view's links (a firm buys P and
    sells Q: P → Q) plus the chains.csv rows; products on a cycle share a depth.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> ds = load_dataset("data")
    >>> d = product_depths(ds, ds.links[ds.links["status"] == "active"])
    >>> d["铁矿石"] < d["钢坯"] < d["冷轧薄板"] < d["充电桩箱体"] < d["充电桩"]
    True
    """
    return ds.index.flow_of(links).depths()


def build_view(ds: Dataset, *, opts: Options, gaps: Gaps | None = None, focus: str | None = None, hops: int = 2,
               max_nodes: int = MAX_NODES) -> GraphView:  # fmt: skip
    """The zone's graph (or a firm's neighbourhood with ``focus``) as records for the page.

    Parameters
    ----------
    ds
        The loaded data.
    opts
        The zone Z (``opts.zone``, ``opts.scope``).
    gaps
        The zone's gaps: drawn as diamonds with their buyers and the outside
        makers to invite.
    focus, hops
        Draw only the firms within ``hops`` links of ``focus`` (an id, or a
        unique name).
    max_nodes
        Above this many firms the page opens on clusters and drills down.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> from chaingraph.analysis.gaps import gaps
    >>> ds = load_dataset("data")
    >>> opts = Options(zone="晋城经开区")
    >>> v = build_view(ds, opts=opts, gaps=gaps(ds, opts=opts))
    >>> gap = next(n for n in v.nodes if n["kind"] == "gap" and n["name"] == "功率模块")
    >>> [s["name"] for s in gap["gap"]["suppliers"]]
    ['深圳英源电气', '香港恒鑫科技']
    """
    from chaingraph.errors import ChaingraphError, param

    members = set(zone_members(ds, opts).tolist())
    all_links = ds.links[ds.links["status"].isin(["active", "planned"])]
    links = all_links
    if focus is not None:
        if focus not in set(ds.enterprises["id"]):
            matches = ds.enterprises.loc[ds.enterprises["name"] == focus, "id"].tolist()
            if len(matches) != 1:
                raise ChaingraphError(f"{param('focus')} {focus!r} is not an enterprise id (or a unique name).")
            focus = str(matches[0])
        keep = _neighbourhood(links, focus, hops)
        links = links[links["supplier_id"].isin(keep) & links["buyer_id"].isin(keep)]
        title = f"{ds.names.get(focus, focus)} · {hops} 跳上下游"
    else:
        links = links[links["supplier_id"].isin(members) | links["buyer_id"].isin(members)]
        title = f"{opts.zone} 产业链图"
    ent = ds.enterprises.set_index("id", drop=False)
    info = _Info(ds.enterprises)
    firm_ids = sorted(set(links["supplier_id"]) | set(links["buyer_id"]) | ({focus} if focus else set()))
    via_ids: list[str] = []
    for v in links.loc[links["via"] != "", "via"].tolist():
        via_ids += [x for x in str(v).split(";") if x]
    hubs = {x for x in via_ids if x in ent.index}
    firm_ids = sorted(set(firm_ids) | hubs)

    chains_of = _chains_of(ds)
    depth = product_depths(ds, links)
    industries = dict(zip(ds.enterprises["id"], split_list(ds.enterprises["industry"]), strict=True))
    listed = dict(zip(ds.enterprises["id"], split_list(ds.enterprises["products"]), strict=True))
    index = {f: k for k, f in enumerate(firm_ids)}

    # per firm: value sold / bought in the view, the product it sells most
    sold = links.groupby(["supplier_id", "product"], sort=True)["value"].sum()
    bought = links.groupby(["buyer_id", "product"], sort=True)["value"].sum()
    trade: dict[str, float] = {}
    main_sold: dict[str, tuple[float, str]] = {}

    def triples(x: pd.Series) -> Any:
        return zip(
            map(str, x.index.get_level_values(0)), map(str, x.index.get_level_values(1)), x.tolist(), strict=True
        )

    for f, p, v in triples(sold):
        trade[str(f)] = trade.get(str(f), 0.0) + float(v)
        if str(f) not in main_sold or float(v) > main_sold[str(f)][0]:
            main_sold[str(f)] = (float(v), str(p))
    max_bought: dict[str, int] = {}
    for f, p, v in triples(bought):
        trade[str(f)] = trade.get(str(f), 0.0) + float(v)
        max_bought[str(f)] = max(max_bought.get(str(f), 0), depth.get(str(p), 0))

    place = _columns(ds, depth)
    top_col = max((place(p) for p in depth), default=0)

    def column(f: str) -> int:
        if f in main_sold:
            return place(main_sold[f][1])
        made = [place(p) for p in listed.get(f, []) if p in depth]
        if made:
            return max(made)
        return top_col if f in max_bought else 0  # buys, sells nothing here: at the downstream end

    gap_rows = [g for g in (gaps.gaps if gaps else ()) if g.external_demand > 0 or g.kind != "empty"]
    firm_kind = {f: info.get(f, "kind") or "manufacturer" for f in firm_ids}
    invite: dict[str, list[str]] = {}
    for g in gap_rows:
        for s in g.suppliers:
            if s["id"] in index and firm_kind.get(s["id"], "manufacturer") == "manufacturer":
                invite.setdefault(s["id"], []).append(g.product)

    parks = sorted({info.get(f, "park") or NO_PARK for f in firm_ids if f in members})
    park_color = {p: PARK_COLORS[k % len(PARK_COLORS)] for k, p in enumerate(parks)}
    value_rank = _ranks([trade.get(f, 0.0) for f in firm_ids])
    nodes: list[dict[str, Any]] = []
    for k, f in enumerate(firm_ids):
        local = f in members
        park = (info.get(f, "park") or NO_PARK) if local else ""
        kind_f = firm_kind[f]
        nodes.append({
            "kind": "local" if local else "outside", "id": f, "name": info.get(f, "name"),
            "zone": info.get(f, "zone"), "park": park, "city": info.get(f, "city"),
            "products": listed.get(f, []), "chains": sorted(set(industries.get(f, []))
                                                             | {c for p in listed.get(f, []) for c in chains_of.get(p, [])}),
            "leader": info.leader(f), "firm_kind": kind_f, "hub": f in hubs,
            "invite": sorted(invite.get(f, [])), "value": trade.get(f, 0.0), "rank": value_rank[k],
            "col": column(f), "focus": f == focus,
            "color": park_color[park] if local else (INVITE if f in invite else OUTSIDE),
        })  # fmt: skip

    edges: list[dict[str, Any]] = []
    cls_col = links["status"].where(links["status"] == "planned", "active")
    ordered = sorted(zip(links["supplier_id"].tolist(), links["buyer_id"].tolist(), cls_col.tolist(),
                         links["value"].tolist(), links["product"].tolist(), links["status"].tolist(), strict=True),
                     key=lambda r: (r[0], r[1], r[2], -r[3], r[4]))  # fmt: skip
    for (sup, buy, cls), grp in itertools.groupby(ordered, key=lambda r: (str(r[0]), str(r[1]), str(r[2]))):
        rows: list[list[Any]] = [[str(r[4]), float(r[3]), str(r[5])] for r in grp]
        products = sorted({str(r[0]) for r in rows})
        edges.append({
            "from": index[sup], "to": index[buy], "kind": cls, "value": sum(r[1] for r in rows),
            "rows": rows, "products": products,
            "chains": sorted({c for p in products for c in chains_of.get(p, [])} | set(industries.get(buy, []))),
        })  # fmt: skip

    # routes through intermediaries: one leg per hop, summed per (from, to)
    legs: dict[tuple[int, int], dict[str, Any]] = {}
    routed = links[links["via"] != ""]
    for r in routed[["supplier_id", "buyer_id", "product", "value", "via"]].to_dict("records"):
        path = [str(r["supplier_id"])] + [x for x in str(r["via"]).split(";") if x in index] + [str(r["buyer_id"])]
        for a, b in itertools.pairwise(path):
            leg = legs.setdefault((index[a], index[b]), {"from": index[a], "to": index[b], "kind": "route",
                                                         "value": 0.0, "rows": [], "products": set(), "chains": set()})  # fmt: skip
            leg["value"] += float(r["value"])
            leg["rows"].append([str(r["product"]), float(r["value"]), info.get(str(r["supplier_id"]), "name"),
                                info.get(str(r["buyer_id"]), "name")])  # fmt: skip
            leg["products"].add(str(r["product"]))
            leg["chains"].update(chains_of.get(str(r["product"]), []))
    for key in sorted(legs):
        leg = legs[key]
        leg["rows"].sort(key=lambda x: (-x[1], x[0]))
        edges.append({**leg, "products": sorted(leg["products"]), "chains": sorted(leg["chains"])})

    for g in gap_rows:
        buyers = [x for x in g.buyers if x["id"] in index]
        if not buyers and g.kind != "empty":
            continue
        if not buyers and focus is not None:
            continue
        gi = len(nodes)
        suppliers = []
        for s in g.suppliers:
            sid = str(s["id"])
            kind_s = str(ent.at[sid, "kind"]) if sid in ent.index else ""
            row = {"node": index.get(sid), "name": s["name"], "zone": s["zone"],
                   "city": str(ent.at[sid, "city"]) if sid in ent.index else "", "share": s["share"],
                   "value": s["value"], "firm_kind": kind_s or "manufacturer", "behind": []}  # fmt: skip
            if kind_s in ("trader", "logistics"):
                row["behind"] = _makers_behind(ds, all_links, sid, g.product)
            suppliers.append(row)
        nodes.append({
            "kind": "gap", "id": g.product, "name": g.product, "gap_kind": g.kind, "kind_label": gap_kind(g.kind),
            "value": g.external_demand, "rank": 1.0, "col": place(g.product), "chains": list(g.chains),
            "products": [g.product], "color": GAP_COLORS[g.kind], "park": "", "zone": "", "city": "",
            "gap": {"demand": g.external_demand, "purchase": g.local_purchase, "outside_share": g.outside_share,
                    "buyers": [{"node": index[x["id"]], "name": x["name"], "value": x["value"]} for x in buyers],
                    "suppliers": suppliers, "dependents": list(g.dependents), "local_makers": [
                        str(ent.at[m, "name"]) if m in ent.index else m for m in g.local_makers]},
        })  # fmt: skip
        for x in buyers:
            edges.append({"from": gi, "to": index[x["id"]], "kind": "need", "value": float(x["value"] or 0.0),
                          "rows": [[g.product, float(x["value"] or 0.0), "need"]], "products": [g.product],
                          "chains": list(g.chains)})  # fmt: skip
        for s in suppliers:
            if s["node"] is not None and s["firm_kind"] == "manufacturer":
                edges.append({"from": s["node"], "to": gi, "kind": "invite", "value": float(s["value"] or 0.0),
                              "rows": [[g.product, float(s["value"] or 0.0), "invite"]], "products": [g.product],
                              "chains": list(g.chains)})  # fmt: skip

    cols_used = sorted({n["col"] for n in nodes})
    compact = {c: k for k, c in enumerate(cols_used)}
    for n in nodes:
        n["col"] = compact[n["col"]]
    columns = _column_titles(nodes, cols_used, segmented=_has_segments(ds))
    products = sorted({p for e in edges for p in e["products"]})
    chains = sorted({c for e in edges for c in e["chains"]})
    park_list = [{"name": p, "color": park_color[p]} for p in parks]
    legend = _legend(park_list)
    n_firms = len(firm_ids)
    note = (f"{n_firms} 家企业; 左上游 → 右下游; 点击企业、缺链◆或连线看详情。"
            + ("" if len(nodes) <= LABEL_ALL else " 节点较多: 放大后显示更多名称 (年交易额大的先显示)。"))  # fmt: skip
    aggregated = n_firms > max_nodes
    clusters: list[dict[str, Any]] = []
    cluster_edges: list[dict[str, Any]] = []
    if aggregated:
        clusters, cluster_edges = _clusters(nodes, edges, members, opts.zone)
        note = (f"{n_firms} 家企业超过 {max_nodes} 家: 按园区/地区汇总显示。点击任一汇总圆圈, 在本页展开其中的企业及其"
                "上下游; 「返回汇总」回到这里。也可直接搜索企业名称。")  # fmt: skip
        title += " (汇总)"
    return GraphView(title, opts.zone, nodes, edges, columns, park_list, chains, products, legend, note, aggregated,
                     clusters, cluster_edges)  # fmt: skip


SEGMENTS = {"上游": 0, "中游": 1, "下游": 2, "upstream": 0, "midstream": 1, "downstream": 2}
SEGMENT_NAMES = ("上游", "中游", "下游")
#: Without chains.csv segments, depths are folded into at most this many columns (order kept).
MAX_COLUMNS = 6


def _columns(ds: Dataset, depth: dict[str, int]) -> Any:
    """product → column: the chains.csv segment (上游 0, 中游 1, 下游 2) where given, else the folded depth.

    Products without a segment beside segmented ones take the segment their
    depth falls in (a third of the deepest depth each).
    """
    seg: dict[str, int] = {}
    if ds.chains is not None and "segment" in ds.chains:
        for p, sg in zip(ds.chains["product"].tolist(), ds.chains["segment"].tolist(), strict=True):
            k = SEGMENTS.get(str(sg).strip().lower())
            if k is not None:
                seg[str(p)] = min(seg.get(str(p), k), k)
    top = max(depth.values(), default=0)
    if seg:
        return lambda p: seg[p] if p in seg else (min(2, round(2 * depth.get(p, 0) / top)) if top else 0)
    if top < MAX_COLUMNS:
        return lambda p: depth.get(p, 0)
    return lambda p: min(MAX_COLUMNS - 1, depth.get(p, 0) * MAX_COLUMNS // (top + 1))


class _Info:
    """Enterprise columns by id, read once (a dict lookup per firm instead of a pandas one)."""

    def __init__(self, enterprises: pd.DataFrame) -> None:
        ids = enterprises["id"].tolist()
        self.cols = {c: dict(zip(ids, map(str, enterprises[c].tolist()), strict=True))
                     for c in ("name", "zone", "park", "city", "kind")}  # fmt: skip
        self.leaders = dict(zip(ids, (bool(x) for x in enterprises["chain_leader"].tolist()), strict=True))

    def get(self, firm: str, col: str) -> str:
        return self.cols[col].get(firm, "")

    def leader(self, firm: str) -> bool:
        return self.leaders.get(firm, False)


def _ranks(values: list[float]) -> list[float]:
    """Each value's rank as a fraction 0..1 (1 the largest; ties share the rank)."""
    if not values:
        return []
    order = sorted(set(values))
    at = {v: k for k, v in enumerate(order)}
    top = max(1, len(order) - 1)
    return [at[v] / top if len(order) > 1 else 1.0 for v in values]


def _makers_behind(ds: Dataset, links: pd.DataFrame, trader: str, product: str) -> list[dict[str, Any]]:
    """The makers a trader or logistics firm buys ``product`` from, as the data shows them."""
    rows = links[(links["buyer_id"] == trader) & (links["product"] == product)]
    if rows.empty:
        return []
    total = rows.groupby("supplier_id", sort=True)["value"].sum().sort_values(ascending=False, kind="stable")
    ent = ds.enterprises.set_index("id")
    out = []
    for sid, v in total.items():
        if sid in ent.index:
            out.append({"name": str(ent.at[sid, "name"]), "city": str(ent.at[sid, "city"]), "value": float(v)})
    return out[:5]


def _has_segments(ds: Dataset) -> bool:
    if ds.chains is None or "segment" not in ds.chains:
        return False
    return bool(ds.chains["segment"].astype(str).str.strip().str.lower().isin(list(SEGMENTS)).any())


def _column_titles(nodes: list[dict[str, Any]], cols: list[int], *, segmented: bool) -> list[str]:
    """A caption per column: 上游 / 中游 / 下游 and its largest products."""
    value: list[dict[str, float]] = [{} for _ in cols]
    for n in nodes:
        if n["kind"] in ("local", "gap"):
            for p in n["products"][:1]:
                value[n["col"]][p] = value[n["col"]].get(p, 0.0) + float(n["value"])
    titles = []
    n_cols = len(cols)
    for k, c in enumerate(cols):
        if segmented:
            seg = SEGMENT_NAMES[min(c, 2)]
        elif n_cols == 1:
            seg = "环节"
        else:
            seg = "上游" if k < n_cols / 3 else ("中游" if k < 2 * n_cols / 3 else "下游")
        top = sorted(value[k], key=lambda p: (-value[k][p], p))[:3]
        titles.append(f"{seg} · " + "、".join(top) if top else seg)
    return titles


def _legend(parks: list[dict[str, str]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [{"kind": "node", "shape": "dot", "color": p["color"], "label": f"区内 · {p['name']}"}
                                   for p in parks]  # fmt: skip
    items += [
        {"kind": "node", "shape": "dot", "color": OUTSIDE, "label": "区外企业"},
        {"kind": "node", "shape": "dot", "color": INVITE, "label": "招商对象 (外地生产企业, 供应区内缺链产品)"},
        {"kind": "node", "shape": "diamond", "color": GAP, "label": "缺链产品 ◆ (区内无生产企业)", "gap": "missing"},
        {
            "kind": "node",
            "shape": "diamond",
            "color": GAP_COLORS["weak"],
            "label": "弱链产品 ◆ (区内仅一家, 仍多靠外地)",
            "gap": "weak",
        },
        {
            "kind": "node",
            "shape": "diamond",
            "color": GAP_COLORS["empty"],
            "label": "空白环节 ◆ (图谱有, 区内无)",
            "gap": "empty",
        },
        {"kind": "node", "shape": "square", "color": HUB, "label": "中转/贸易商 (途经) ■"},
        {"kind": "node", "shape": "star", "color": "#333333", "label": "链主企业 ★ (粗黑边)"},
        {"kind": "note", "label": "圆点大小按年交易额"},
    ]
    items += [{"kind": "edge", "color": s["color"], "dashes": s["dashes"], "label": s["label"], "style": k}
              for k, s in EDGE_STYLES.items()]  # fmt: skip
    return items


def _clusters(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], members: set[str],
              zone: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """One cluster per outside zone or region and per park of the zone, with its figures."""
    key_of: list[str] = []
    clusters: dict[str, dict[str, Any]] = {}
    for n in nodes:
        if n["kind"] == "gap":
            key = "gap"
            label = f"{zone} · 缺链产品"
        elif n["kind"] == "local":
            key = "park:" + n["park"]
            label = f"{zone} · {n['park']}"
        else:
            key = "zone:" + n["zone"]
            label = n["zone"] or "未注明地区"
        key_of.append(key)
        c = clusters.setdefault(key, {"key": key, "label": label, "local": n["kind"] == "local",
                                      "gap": n["kind"] == "gap", "firms": 0, "into_zone": 0.0, "from_zone": 0.0,
                                      "inside": 0.0, "invite": 0, "color": n["color"] if n["kind"] != "outside" else OUTSIDE})  # fmt: skip
        c["firms"] += 1
        c["invite"] += 1 if n.get("invite") else 0
    flows: dict[tuple[str, str], list[float]] = {}
    for e in edges:
        if e["kind"] not in ("active", "planned"):
            continue
        a, b = key_of[e["from"]], key_of[e["to"]]
        la, lb = nodes[e["from"]]["kind"] == "local", nodes[e["to"]]["kind"] == "local"
        if lb and not la:
            clusters[a]["into_zone"] += e["value"]
        if la and not lb:
            clusters[b]["from_zone"] += e["value"]
        if la and lb:
            clusters[a]["inside"] += e["value"]
        if a != b:
            f = flows.setdefault((a, b), [0.0, 0])
            f[0] += e["value"]
            f[1] += 1
    order = sorted(clusters, key=lambda k: (not clusters[k]["local"], clusters[k]["gap"],
                                            -(clusters[k]["into_zone"] + clusters[k]["from_zone"]
                                              + clusters[k]["inside"]), k))  # fmt: skip
    number = {k: i for i, k in enumerate(order)}
    for n, key in zip(nodes, key_of, strict=True):
        n["cluster"] = number[key]
    out = [clusters[k] for k in order]
    cedges = [{"from": number[a], "to": number[b], "value": v[0], "links": int(v[1])}
              for (a, b), v in sorted(flows.items())]  # fmt: skip
    return out, cedges


def _options() -> dict[str, Any]:
    """vis-network options: positions come from the page, physics is off."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "hideEdgesOnZoom": False,
                        "multiselect": False, "navigationButtons": False, "zoomSpeed": 0.7},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "selectionWidth": 2, "hoverWidth": 1.5},
        "nodes": {"font": {"face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"}},
    }  # fmt: skip


def _safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _clean(x: Any) -> Any:
    """NaN and infinities (unknown amounts) become null: JSON has no NaN."""
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    return x


def write_html(view: GraphView, path: str | Path) -> Path:
    """Write the page (UTF-8, whatever the locale) and return its path."""
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    template = resources.files("chaingraph.render").joinpath("assets", "view.html").read_text(encoding="utf-8")
    data = {"title": view.title, "zone": view.zone, "nodes": view.nodes, "edges": view.edges,
            "columns": view.columns, "parks": view.parks, "chains": view.chains, "products": view.products,
            "legend": view.legend, "note": view.note, "aggregated": view.aggregated, "clusters": view.clusters,
            "cluster_edges": view.cluster_edges, "label_all": LABEL_ALL, "options": _options(),
            "styles": EDGE_STYLES, "status_label": STATUS_LABEL, "firm_kind_label": FIRM_KIND_LABEL,
            "colors": {"outside": OUTSIDE, "invite": INVITE, "gap": GAP, "hub": HUB}}  # fmt: skip
    page = template.replace("/*VIS_CSS*/", css).replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))
    page = page.replace("/*DATA*/", _safe_json(_clean(data)))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
