"""Peer zones (对标) for people: the terminal tables and the CSV of ``chaingraph benchmark``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.render.fmt import gap_kind, pct, yuan

if TYPE_CHECKING:
    from rich.console import RenderableType

    from chaingraph.results.benchmark import Benchmark, ChainRow, GapPeers

__all__ = ["MAX_ROWS", "PEER_COLUMNS", "benchmark_frame", "benchmark_view", "chain_label", "makers_text"]

#: Gap rows a terminal table shows (JSON and CSV have them all).
MAX_ROWS = 40
#: Peer zones shown as columns of the terminal's coverage table (JSON and CSV have them all).
PEER_COLUMNS = 5


def chain_label(c: ChainRow) -> str:
    """``充电桩 · 充电桩`` (chain · end product), or the end product alone for a derived chain."""
    return f"{c.chain} · {c.end_product}" if c.chain else c.end_product


def makers_text(g: GapPeers, *, zones: int = 3, firms: int = 3) -> str:
    """``高平经开区：甲厂、乙厂；临猗…：丙厂`` (firms already selling into Z marked ★), or ``—``."""
    parts = []
    for p in g.peers[:zones]:
        names = [("★" if m.sells_to_zone else "") + (m.name or m.id) for m in p.makers[:firms]]
        more = f" 等 {len(p.makers)} 家" if len(p.makers) > firms else ""
        parts.append(f"{p.zone}：{'、'.join(names)}{more}")
    if len(g.peers) > zones:
        parts.append(f"另有 {len(g.peers) - zones} 个园区")
    return "；".join(parts) or "—"


def benchmark_view(b: Benchmark, names: Mapping[str, str]) -> list[RenderableType]:
    """Zones by local sourcing ratio; Z's chains' coverage in each; each gap and the peers that make it."""
    from rich.table import Table
    from rich.text import Text

    who = "指定的对标园区" if b.named else "数据中其他有区内采购的园区"
    t = Table(title=f"{b.zone} 对标 Benchmark: 与{who}比较（按本地配套率排名）", title_justify="left")
    for c in ("排名", "园区", "本地配套率", "区内采购额", "采购总额", "已实现节约/年", "潜在节约/年", "缺口 缺/弱/空白",
              "闭环链"):  # fmt: skip
        t.add_column(c, justify="left" if c in ("园区", "缺口 缺/弱/空白") else "right")
    for z in b.zones:
        mark = "▶ " if z.zone == b.zone else ""
        t.add_row(str(z.rank or "—"), mark + z.zone, pct(z.local_sourcing_ratio), yuan(z.local_value),
                  yuan(z.total_value), yuan(z.total_realized), yuan(z.total_potential),
                  f"{z.gaps} ({z.missing}/{z.weak}/{z.empty})", f"{z.chains_closed}/{z.chains}")  # fmt: skip
    out: list[RenderableType] = [t]
    if not b.peers:
        out.append(Text("数据中没有其他有区内采购的园区可比较；用 --peers 指定园区。", style="dim"))
        return out
    shown = list(b.peers[:PEER_COLUMNS])
    cov = Table(title="各产业链环节覆盖率：本园区与对标园区", title_justify="left")
    for c in ("产业链 · 终端产品", b.zone, "最高的对标园区", *shown):
        cov.add_column(c, justify="left" if c in ("产业链 · 终端产品", "最高的对标园区") else "right")
    for row in b.chains[:MAX_ROWS]:
        best = f"{row.best_peer} {pct(row.best_coverage)}" if row.best_peer else "—"
        cov.add_row(chain_label(row), pct(row.of(b.zone)), best, *(pct(row.of(z)) for z in shown))
    out.append(cov)
    if len(b.peers) > PEER_COLUMNS:
        out.append(Text(f"另有 {len(b.peers) - PEER_COLUMNS} 个对标园区未列为列，-f json / -f csv 有全部", style="dim"))
    g = Table(title="本园区的缺口：哪些对标园区有本地厂家（邀请的最短路径；★ 已向本园区供货）", title_justify="left")
    for c in ("产品", "类型", "外部采购额", "有厂家的对标园区：厂家"):
        g.add_column(c, justify="right" if c == "外部采购额" else "left")
    with_peers = [x for x in b.gaps if x.peers]
    for x in with_peers[:MAX_ROWS]:
        g.add_row(x.product, gap_kind(x.kind, short=True), yuan(x.external_demand), makers_text(x))
    out.append(g if with_peers else Text("对标园区中没有本园区缺口产品的本地厂家。", style="dim"))
    none = [x.product for x in b.gaps if not x.peers]
    if none:
        out.append(Text(f"对标园区也没有厂家的缺口 {len(none)} 个：" + "、".join(none[:20])
                        + (" 等" if len(none) > 20 else "") + "。", style="dim"))  # fmt: skip
    out.append(Text("厂家 = 对标园区中生产该产品的企业（列在产品中或在供该产品），贸易商、物流企业不算；"
                    "按其该产品的年销售额排序。", style="dim"))  # fmt: skip
    return out


def benchmark_frame(b: Benchmark) -> pd.DataFrame:
    """One row per compared zone: headline figures, each of Z's chains' coverage, Z's gaps it has makers of."""
    rows: list[dict[str, Any]] = []
    for z in b.zones:
        row: dict[str, Any] = {**z.to_dict(), "is_zone": z.zone == b.zone}
        for c in b.chains:
            row[f"coverage {chain_label(c)}"] = c.of(z.zone)
        made = [(g.product, p) for g in b.gaps for p in g.peers if p.zone == z.zone]
        row["zone_gaps_it_makes"] = len(made) if z.zone != b.zone else None
        row["makers"] = ";".join(f"{q}=" + "|".join(m.id for m in p.makers) for q, p in made)
        rows.append(row)
    return pd.DataFrame(rows)
