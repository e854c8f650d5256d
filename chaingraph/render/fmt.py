"""Formatting figures for people: 元 / 万元 / 亿元, percentages, Chinese labels."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["LABELS", "pct", "to_json", "unit_yuan", "yuan"]

LABELS = {
    "zone": "园区",
    "local_sourcing_ratio": "本地配套率",
    "local_value": "本地采购额",
    "total_value": "采购总额",
    "chain": "产业链",
    "end_product": "终端产品",
    "stage_coverage": "环节覆盖率",
    "closed": "闭环",
    "missing_stages": "缺失环节",
    "buyer_id": "采购方",
    "product": "产品",
    "supplier_id": "供应商",
    "unit_saving": "单位节约",
    "saving_rate": "节约率",
    "annual_saving": "年节约额",
    "candidates": "本地可供企业",
    "external_demand": "外部采购额",
    "kind": "类型",
    "buyers": "本地采购方",
    "suppliers": "外部供应商(招商对象)",
    "dependents": "依赖它的本地产品",
}


def yuan(x: float | None, *, digits: int = 2) -> str:
    """Money in 元, 万元 or 亿元, whichever reads best.

    Examples
    --------
    Trailing zeros of the decimals are dropped.

    >>> yuan(450), yuan(9_000_000), yuan(360_000_000), yuan(12_345), yuan(None)
    ('450元', '900万元', '3.6亿元', '1.23万元', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    a = abs(x)

    def short(v: float) -> str:
        text = f"{v:,.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    if a >= 1e8:
        return f"{short(x / 1e8)}亿元"
    if a >= 1e4:
        return f"{short(x / 1e4)}万元"
    return f"{short(x)}元"


def unit_yuan(x: float | None) -> str:
    """A price per unit: as :func:`yuan` from 1 元 up, below it to six places (a resistor costs 0.0035元).

    >>> unit_yuan(2850), unit_yuan(0.0011), unit_yuan(0.0), unit_yuan(None)
    ('2,850元', '0.0011元', '0元', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 1 or x == 0:
        return yuan(x)
    return f"{x:.6f}".rstrip("0").rstrip(".") + "元"


def pct(x: float | None, *, digits: int = 1) -> str:
    """A fraction as a percentage.

    >>> pct(0.136364), pct(None)
    ('13.6%', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def to_json(data: Any) -> str:
    """Deterministic UTF-8 JSON: Chinese as is, keys in their defined order, two-space indent.

    orjson writes what ``json.dumps(data, ensure_ascii=False, indent=2)`` writes
    (small exponents aside: ``1.5e-7`` for ``1.5e-07``), 10× faster: the
    standard library encodes indented JSON in pure Python.

    >>> to_json({"zone": "晋城经开区", "x": 1.0})
    '{\\n  "zone": "晋城经开区",\\n  "x": 1.0\\n}'
    """
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
