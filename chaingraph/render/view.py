"""The interactive graph: one self-contained HTML file that works with no network.

The only module that imports pyvis.  pyvis builds the network (nodes, edges,
vis-network options); the page around it is chaingraph's own template with
vis-network's JavaScript and CSS inlined from the pyvis package, so nothing is
fetched from a CDN.  Every name from the data reaches the page as JSON inside
a ``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped) and
is put on screen with ``textContent``: a name cannot inject HTML or script.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from chaingraph.analysis.context import zone_members
from chaingraph.model import Dataset
from chaingraph.render.fmt import yuan
from chaingraph.results.gaps import Gaps
from chaingraph.results.options import Options
from chaingraph.validate import split_list

__all__ = ["LAYOUT_THRESHOLD", "MAX_NODES", "GraphView", "build_view", "write_html"]

#: Above this many firms the view aggregates by zone (each zone or region one node).
MAX_NODES = 3000
#: Above this many nodes positions are computed here (clusters by zone) and physics is off.
LAYOUT_THRESHOLD = 500

LOCAL_COLORS = ["#1f77b4", "#2ca02c", "#17becf", "#9467bd", "#3b5ba5", "#1b9e77", "#66a61e", "#7570b3"]
OUTSIDE = "#b0b0b0"
INVITE = "#ff7f0e"
GAP = "#d62728"
STATUS_LABEL = {"active": "在供", "planned": "拟供", "former": "历史"}


@dataclass(frozen=True)
class GraphView:
    """What the page draws; ``nodes``/``edges`` are vis-network records."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    chains: list[str]
    products: list[str]
    legend: list[dict[str, str]]
    note: str
    aggregated: bool
    physics: bool


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


def build_view(ds: Dataset, *, opts: Options, gaps: Gaps | None = None, focus: str | None = None, hops: int = 2,
               max_nodes: int = MAX_NODES) -> GraphView:  # fmt: skip
    """Select and style the zone's graph (or a firm's neighbourhood with ``focus``)."""
    from chaingraph.errors import ChaingraphError

    members = set(zone_members(ds, opts).tolist())
    links = ds.links[ds.links["status"].isin(["active", "planned"])]
    if focus is not None:
        if focus not in set(ds.enterprises["id"]):
            matches = ds.enterprises.loc[ds.enterprises["name"] == focus, "id"].tolist()
            if len(matches) != 1:
                raise ChaingraphError(f"--focus {focus!r} is not an enterprise id (or a unique name).")
            focus = str(matches[0])
        keep = _neighbourhood(links, focus, hops)
        links = links[links["supplier_id"].isin(keep) & links["buyer_id"].isin(keep)]
        title = f"{ds.names.get(focus, focus)} · {hops} 跳上下游"
    else:
        links = links[links["supplier_id"].isin(members) | links["buyer_id"].isin(members)]
        title = f"{opts.zone} 产业链图"
    chains_of = _chains_of(ds)
    industries = dict(zip(ds.enterprises["id"], split_list(ds.enterprises["industry"]), strict=True))
    info: dict[str, dict[str, str]] = {
        str(r["id"]): {k: str(r[k]) for k in ("name", "zone", "park", "products")}
        for r in ds.enterprises[["id", "name", "zone", "park", "products"]].to_dict("records")
    }
    firm_ids = sorted(set(links["supplier_id"]) | set(links["buyer_id"]) | ({focus} if focus else set()))
    invite: set[str] = set()
    gap_rows = [g for g in (gaps.gaps if gaps else ()) if g.external_demand > 0]
    for g in gap_rows:
        invite.update(s["id"] for s in g.suppliers)
    aggregated = len(firm_ids) > max_nodes
    if aggregated:
        return _aggregate(ds, links, members, title, len(firm_ids), max_nodes)

    parks = sorted({info[i]["park"] or "未注明园区" for i in firm_ids if i in members})
    park_color = {p: LOCAL_COLORS[k % len(LOCAL_COLORS)] for k, p in enumerate(parks)}
    grouped = links.groupby(["supplier_id", "buyer_id"], sort=True)
    edges: list[dict[str, Any]] = []
    for (s, b), grp in grouped:
        value = float(grp["value"].sum())
        products = sorted(set(grp["product"]))
        planned = bool((grp["status"] == "planned").all())
        chains = sorted({c for p in products for c in chains_of.get(p, [])} | set(industries.get(b, [])))
        lines = [f"{info[str(s)]['name']} → {info[str(b)]['name']}"] + [
            f"{r['product']}: {yuan(float(r['value']))} ({STATUS_LABEL.get(str(r['status']), str(r['status']))})"
            for r in grp.to_dict("records")
        ]
        edges.append({
            "id": f"{s}>{b}", "from": s, "to": b, "value": value, "title": "\n".join(lines[:12]),
            "width": 1 + 2 * math.log10(1 + value / 1e6), "dashes": planned, "arrows": "to",
            "color": {"color": "#999999" if not planned else "#bbbbbb"}, "products": products, "chains": chains,
        })  # fmt: skip
    nodes: list[dict[str, Any]] = []
    for i in firm_ids:
        local = i in members
        me = info[i]
        park = me["park"] or "未注明园区"
        color = park_color[park] if local else (INVITE if i in invite else OUTSIDE)
        tip = [me["name"], f"{'区内' if local else '区外'} · {me['zone']}"]
        if local and me["park"]:
            tip.append(f"园区: {park}")
        if me["products"]:
            tip.append(f"产品: {me['products']}")
        if i in invite:
            tip.append("招商对象 (供应区内缺链产品)")
        nodes.append({
            "id": i, "label": me["name"], "title": "\n".join(tip), "kind": "local" if local else "outside",
            "color": color, "shape": "dot", "size": 16 if local else 11,
            "borderWidth": 3 if i in invite or i == focus else 1,
            "font": {"size": 14 if local else 11},
        })  # fmt: skip
    node_ids = set(firm_ids)
    for g in gap_rows:
        gid = f"gap:{g.product}"
        buyers = [x["id"] for x in g.buyers if x["id"] in node_ids]
        if not buyers:
            continue
        kind = {"missing": "缺链", "weak": "弱链", "empty": "空白"}[g.kind]
        nodes.append({
            "id": gid, "label": f"{kind}: {g.product}", "kind": "product", "shape": "diamond", "color": GAP, "size": 14,
            "title": f"{kind}: {g.product}\n外部采购额 {yuan(g.external_demand)}\n本地采购方 {len(g.buyers)} 家",
            "font": {"size": 12, "color": GAP},
        })  # fmt: skip
        for b in buyers:
            edges.append({
                "id": f"{gid}>{b}", "from": gid, "to": b, "value": 0.0, "width": 1, "dashes": True, "arrows": "to",
                "color": {"color": GAP}, "title": f"{b} 需要 {g.product}", "products": [g.product],
                "chains": list(g.chains),
            })  # fmt: skip
    physics = len(nodes) <= LAYOUT_THRESHOLD
    if not physics:
        _place(nodes, {n["id"]: info[n["id"]]["zone"] if n["id"] in info else "缺链" for n in nodes})
    legend = [{"label": f"区内 · {p}", "color": park_color[p]} for p in parks] + [
        {"label": "区外企业", "color": OUTSIDE}, {"label": "招商对象 (缺链供应商)", "color": INVITE},
        {"label": "缺链/弱链产品 ◆", "color": GAP}, {"label": "虚线: 拟供 planned", "color": "#bbbbbb"},
    ]  # fmt: skip
    products = sorted({p for e in edges for p in e["products"]})
    chains = sorted({c for e in edges for c in e["chains"]})
    note = (f"{len(firm_ids)} 家企业, {len(grouped)} 条供应关系; 线宽按年采购额; 悬停查看产品、金额(万元)与状态。"
            + ("" if physics else f" 节点超过 {LAYOUT_THRESHOLD} 个: 按园区/地区预先布局, 物理模拟关闭。"))  # fmt: skip
    return GraphView(title, nodes, edges, chains, products, legend, note, False, physics)


def _place(nodes: list[dict[str, Any]], group_of: dict[str, str]) -> None:
    """Deterministic clustered layout: groups on a circle, members on a sunflower spiral."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        groups.setdefault(group_of[n["id"]], []).append(n)
    order = sorted(groups, key=lambda g: (-len(groups[g]), g))
    radius = 60 * math.sqrt(len(nodes))
    for k, g in enumerate(order):
        angle = 2 * math.pi * k / max(1, len(order))
        cx, cy = radius * math.cos(angle), radius * math.sin(angle)
        for j, n in enumerate(groups[g]):
            r = 22 * math.sqrt(j)
            t = j * 2.39996
            n["x"], n["y"] = cx + r * math.cos(t), cy + r * math.sin(t)


def _aggregate(ds: Dataset, links: pd.DataFrame, members: set[str], title: str, n_firms: int,
               max_nodes: int) -> GraphView:  # fmt: skip
    zone_of = pd.Series(ds.enterprises["zone"].to_numpy(), index=ds.enterprises["id"].to_numpy())
    agg = links.assign(sz=links["supplier_id"].map(zone_of), bz=links["buyer_id"].map(zone_of))
    flows = agg.groupby(["sz", "bz"], sort=True).agg(value=("value", "sum"), n=("value", "size")).reset_index()
    flows = flows[flows["sz"] != flows["bz"]]
    local_zones = {str(zone_of[m]) for m in members}
    counts = pd.concat([agg[["supplier_id", "sz"]].set_axis(["id", "z"], axis=1),
                        agg[["buyer_id", "bz"]].set_axis(["id", "z"], axis=1)]).drop_duplicates()["z"].value_counts()  # fmt: skip
    nodes = [{"id": f"zone:{z}", "label": f"{z} ({int(c)})", "kind": "group", "shape": "dot",
              "size": 10 + 4 * math.log2(1 + int(c)), "color": LOCAL_COLORS[0] if z in local_zones else OUTSIDE,
              "title": f"{z}: {int(c)} 家企业"} for z, c in sorted(counts.items())]  # fmt: skip
    edges = [{"id": f"{r['sz']}>{r['bz']}", "from": f"zone:{r['sz']}", "to": f"zone:{r['bz']}",
              "value": float(r["value"]), "width": 1 + 2 * math.log10(1 + float(r["value"]) / 1e6), "arrows": "to",
              "dashes": False, "color": {"color": "#999999"},
              "title": f"{r['sz']} → {r['bz']}: {yuan(float(r['value']))}, {int(r['n'])} 条",
              "products": [], "chains": []} for r in flows.to_dict("records")]  # fmt: skip
    note = (f"{n_firms} 家企业超过 {max_nodes} 家, 已按园区/地区汇总 (aggregated by zone)。"
            "用 --focus 企业ID --hops N 查看单个企业的上下游 (drill down).")  # fmt: skip
    legend = [{"label": "本园区", "color": LOCAL_COLORS[0]}, {"label": "其他园区/地区", "color": OUTSIDE}]
    return GraphView(title + " (汇总)", nodes, edges, [], [], legend, note, True, len(nodes) <= LAYOUT_THRESHOLD)


def _options(physics: bool) -> dict[str, Any]:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.barnes_hut(gravity=-6000, central_gravity=0.3, spring_length=140, spring_strength=0.02, damping=0.4)
    options = json.loads(net.get_network_data()[5])
    options["physics"]["enabled"] = physics
    options["physics"]["stabilization"] = {"enabled": physics, "iterations": 250, "updateInterval": 50, "fit": True}
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "hideEdgesOnDrag": True}
    options["edges"] = {"smooth": {"enabled": physics, "type": "dynamic"}, "scaling": {"min": 1, "max": 10}}
    return options


def _safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def write_html(view: GraphView, path: str | Path) -> Path:
    """Write the page (UTF-8, whatever the locale) and return its path."""
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    template = resources.files("chaingraph.render").joinpath("assets", "view.html").read_text(encoding="utf-8")
    data = {"title": view.title, "nodes": view.nodes, "edges": view.edges, "chains": view.chains,
            "products": view.products, "legend": view.legend, "note": view.note, "options": _options(view.physics)}  # fmt: skip
    page = template.replace("/*VIS_CSS*/", css).replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))
    page = page.replace("/*DATA*/", _safe_json(data))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
