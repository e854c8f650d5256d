"""The sentences that explain a ranked gap's score and a single point of failure, in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chaingraph.render.fmt import gap_kind, yuan
from chaingraph.results.rank import RankedGap, Ranking, SinglePoint, SupplyItem, Weights

__all__ = ["RULE_LABELS", "gap_explanation", "ranking_dict", "single_point_reason", "supply_reason"]

#: Short labels of :data:`RULES` for tables.
RULE_LABELS = {"makers_known": "有厂家可邀", "maker_unknown": "厂家未知·先查明", "no_supplier": "无供应商",
               "raw_material": "供应安全"}  # fmt: skip


def gap_explanation(g: RankedGap, w: Weights) -> str:
    """How ``g``'s score adds up: each part, its scaled value and its weight."""
    return (
        f"{gap_kind(g.kind)} {g.product}: 外部需求 {yuan(g.external_demand)} ({g.parts['demand']:.2f})×{w.demand}"
        f" + 本地采购方 {g.buyers} 家 ({g.parts['buyers']:.2f})×{w.buyers}"
        f" + 依赖它的本地产品 {len(g.dependents)} 个 ({g.parts['dependents']:.2f})×{w.dependents}"
        f" + 关联度 {g.relatedness:.2f} (上游已有 {len(g.inputs_made)}/{len(g.inputs)}, "
        f"下游已买 {len(g.outputs_bought)}/{len(g.outputs)})×{w.relatedness}"
        f" = {g.score:.3f}"
    )


def single_point_reason(s: SinglePoint, names: Mapping[str, str]) -> str:
    """Why ``s`` matters: one local maker that several firms of the zone depend on."""
    hv = s.hhi
    return (
        f"{s.product} 只有 {names.get(s.maker, s.maker)} 一家本地供应, 却供 {len(s.buyers)} 家区内企业; "
        f"供应商集中度 HHI {hv if hv is not None else '—'}: 它停产, 这些企业都要转向外地"
    )


def supply_reason(x: SupplyItem) -> str:
    """What a supply-security item amounts to: demand, buyers, suppliers (traders among them), concentration."""
    traders = sum(1 for s in x.suppliers if s["kind"] != "manufacturer")
    return (
        f"{x.product}: 外部采购 {yuan(x.external_demand)}/年, {len(x.buyers)} 家区内企业在买, "
        f"外地供应商 {len(x.suppliers)} 家 (其中贸易/物流 {traders} 家), "
        f"集中度 HHI {x.hhi if x.hhi is not None else '—'}"
    )


def _after(row: dict[str, Any], key: str, new: str, value: Any) -> dict[str, Any]:
    """``row`` with ``new: value`` placed right after ``key``."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        out[k] = v
        if k == key:
            out[new] = value
    return out


def ranking_dict(r: Ranking, names: Mapping[str, str]) -> dict[str, Any]:
    """``r.to_dict()`` with the sentences: each ranked gap's ``explanation``, each single point's and item's ``reason``."""
    d = r.to_dict()
    d["ranked"] = [_after(row, "suppliers", "explanation", gap_explanation(g, r.weights))
                   for row, g in zip(d["ranked"], r.ranked, strict=True)]  # fmt: skip
    for row, s in zip(d["single_points"], r.single_points, strict=True):
        row["reason"] = single_point_reason(s, names)
    for row, x in zip(d["supply_security"], r.supply_security, strict=True):
        row["reason"] = supply_reason(x)
    return d
