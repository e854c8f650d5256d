"""The sentences that explain a ranked gap's score and a single point of failure, in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chaingraph.render.fmt import gap_kind, yuan
from chaingraph.results.rank import RankedGap, Ranking, SinglePoint, SupplyItem, Weights

__all__ = [
    "RULES",
    "RULE_LABELS",
    "gap_explanation",
    "ranking_dict",
    "rule_text",
    "single_point_reason",
    "supply_reason",
]

#: The rules that place a gap (results.rank.RULE_ORDER), in a sentence each: ranked by score within each, raw
#: materials set apart.
RULES = {
    "makers_known": "按得分排序: 数据中有可邀请的外地厂家",
    "maker_unknown": "排在有厂家的缺链之后: 只有贸易商/物流商{via}供货, 数据看不到背后的厂家, 先查明厂家再招商",
    "no_supplier": "排在最后: 数据中没有外地供应商 (空白环节), 需另找厂家",
    "raw_material": "不参与排名, 列为供应安全事项: 资源型原材料 (chains.csv 标为原材料、无上游投入), 开发区不招引矿山, 应保障稳定供应",
}


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


def rule_text(g: RankedGap | SupplyItem) -> str:
    """The rule that put ``g`` where it is, in a sentence (the traders it comes through named)."""
    via = getattr(g, "via", ())
    return RULES[g.rule].format(via=f" ({'、'.join(via)}) " if via else "")


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


def _rule_text(row: dict[str, Any], g: RankedGap | SupplyItem) -> dict[str, Any]:
    """``row`` with the rule's sentence, ``rule_text``, right after ``rule`` (in place of the data it words)."""
    out = _after(row, "rule", "rule_text", rule_text(g))
    out.pop("via", None)
    return out


def ranking_dict(r: Ranking, names: Mapping[str, str]) -> dict[str, Any]:
    """``r.to_dict()`` with the sentences: each ranked gap's ``explanation``, each single point's and item's ``reason``."""
    d = r.to_dict()
    d["ranked"] = [_after(_rule_text(row, g), "suppliers", "explanation", gap_explanation(g, r.weights))
                   for row, g in zip(d["ranked"], r.ranked, strict=True)]  # fmt: skip
    for row, s in zip(d["single_points"], r.single_points, strict=True):
        row["reason"] = single_point_reason(s, names)
    d["supply_security"] = [_rule_text(row, x) for row, x in zip(d["supply_security"], r.supply_security, strict=True)]
    for row, x in zip(d["supply_security"], r.supply_security, strict=True):
        row["reason"] = supply_reason(x)
    return d
