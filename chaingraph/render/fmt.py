"""Formatting figures for people: 元 / 万元 / 亿元, percentages, Chinese labels."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["GAP_KINDS", "LABELS", "QUADRANT_LABELS", "decimals_for", "gap_kind", "money3", "pct", "quadrant", "to_json",
           "to_json_bytes", "unit_yuan", "wan", "yuan"]  # fmt: skip

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
    "suppliers": "目前的外部供应方(含贸易商)",
    "dependents": "依赖它的本地产品",
}


#: Each gap kind's name for people (docs/analysis.md, definition 6).
GAP_KINDS = {"missing": "缺链", "weak": "弱链", "empty": "空白环节"}


#: The feasibility × attractiveness quadrants for people (docs/analysis.md, "Where to invest").
QUADRANT_LABELS = {"near_term": "近期可招", "key_push": "重点攻坚", "reserve": "储备", "defer": "暂缓",
                   "supply_security": "供应安全"}  # fmt: skip


def quadrant(code: str | None) -> str:
    """A quadrant for people (``—`` where the row has none).

    >>> quadrant("near_term"), quadrant(None)
    ('近期可招', '—')
    """
    return "—" if code is None else QUADRANT_LABELS.get(code, code)


def gap_kind(kind: str, *, short: bool = False) -> str:
    """A gap kind for people; ``short`` where a column is narrow (空白 for 空白环节).

    >>> gap_kind("missing"), gap_kind("empty"), gap_kind("empty", short=True)
    ('缺链', '空白环节', '空白')
    """
    label = GAP_KINDS.get(kind, kind)
    return label.removesuffix("环节") if short else label


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


def money3(x: float | None) -> str:
    """Money for prose: three significant digits in 元, 万元 or 亿元.

    >>> money3(15_240_000), money3(10_276_400), money3(3_600_000_000), money3(450), money3(5_512.3), money3(0)
    ('1,520万元', '1,030万元', '36.0亿元', '450元', '5,510元', '0元')
    >>> money3(99_960), money3(-2_345_000), money3(99_999_999), money3(None)
    ('10.0万元', '-235万元', '1.00亿元', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if x == 0:
        return "0元"
    units = ((1.0, "元"), (1e4, "万元"), (1e8, "亿元"))
    a = abs(x)
    k = 2 if a >= 1e8 else 1 if a >= 1e4 else 0
    v = _sig3(x / units[k][0])
    if abs(v) >= 1e4 and k < 2:  # 9,999.6万 rounds up into the next unit: 1.00亿
        k += 1
        v = _sig3(x / units[k][0])
    digits = max(0, 2 - math.floor(math.log10(abs(v))))
    return f"{v:,.{digits}f}{units[k][1]}"


def _sig3(v: float) -> float:
    """``v`` rounded half away from zero to three significant digits (as people round money)."""
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(repr(v))
    exp = d.adjusted() - 2
    return float(d.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP))


def decimals_for(values: list[float | None], *, scale: float, least: int = 2, most: int = 6) -> int:
    """The fewest decimals (at least ``least``) that show every value ÷ ``scale`` exactly to the fen.

    One column of a table then has one precision, and no value in it is rounded.

    >>> decimals_for([15_240_000, 10_276_400], scale=1e4), decimals_for([12_345.67], scale=1e4)
    (2, 6)
    """
    need = least
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        fen = round(abs(v) * 100)
        for d in range(need, most + 1):
            step = scale * 100 / 10**d  # fen per last shown digit
            if step <= 1 or fen % round(step) == 0:
                need = d
                break
        else:
            need = most
    return need


def wan(x: float | None, *, decimals: int = 2, scale: float = 1e4) -> str:
    """A table cell: ``x`` ÷ ``scale`` (万元 by default) with a fixed number of decimals, unit in the header.

    >>> wan(15_240_000), wan(3_600_000_000), wan(12_345.67, decimals=6), wan(3300, scale=1), wan(None)
    ('1,524.00', '360,000.00', '1.234567', '3,300.00', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x / scale:,.{decimals}f}"


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
    return to_json_bytes(data).decode("utf-8")


def to_json_bytes(data: Any, *, newline: bool = False) -> bytes:
    """:func:`to_json` as the UTF-8 bytes it is written as (no text made: a zone's savings are tens of MB), with
    ``newline`` a line end after it (appended as they are made: tens of MB are not copied again for it).

    >>> to_json_bytes({"zone": "晋城经开区"}) == to_json({"zone": "晋城经开区"}).encode("utf-8")
    True
    >>> to_json_bytes([1], newline=True)
    b'[\\n  1\\n]\\n'
    """
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | (orjson.OPT_APPEND_NEWLINE if newline else 0))
