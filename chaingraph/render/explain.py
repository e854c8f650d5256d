"""The sentences that explain a ranked gap's score and a single point of failure, in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chaingraph.render.fmt import gap_kind, yuan
from chaingraph.results.rank import RankedGap, Ranking, SinglePoint, Weights

__all__ = ["gap_explanation", "ranking_dict", "single_point_reason"]


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


def ranking_dict(r: Ranking, names: Mapping[str, str]) -> dict[str, Any]:
    """``r.to_dict()`` with each ranked gap's ``explanation`` and each single point's ``reason``."""
    d = r.to_dict()
    for row, g in zip(d["ranked"], r.ranked, strict=True):
        row["explanation"] = gap_explanation(g, r.weights)
    for row, s in zip(d["single_points"], r.single_points, strict=True):
        row["reason"] = single_point_reason(s, names)
    return d
