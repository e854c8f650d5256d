"""The feasibility × attractiveness scatter of a zone's gaps, as one self-contained SVG (no script, no network).

x is the relatedness density (可行性), y the attractiveness score (吸引力), both 0–1; the zone's
medians split the plot into the four quadrants, each tinted and named; a gap is a numbered dot
coloured by its kind, its area growing with the value kept local.  Dots closer than a few pixels
share one label ("1、4") so numbers never sit on each other.  The numbers are those of the table
below the chart in the report; every name is escaped (a dot's ``<title>`` holds the product).
"""

from __future__ import annotations

import math
from html import escape

from chaingraph.render.fmt import GAP_KINDS, QUADRANT_LABELS, money3
from chaingraph.results.matrix import GapMatrix
from chaingraph.spreadsheet import printable

__all__ = ["CHART_POINTS", "KIND_COLOURS", "MATRIX_CSS", "QUADRANT_FILLS", "matrix_svg"]

#: Dots drawn at most (the table and the workbook list every gap).
CHART_POINTS = 60
KIND_COLOURS = {"missing": "#c0392b", "weak": "#d68910", "empty": "#7f8c8d"}
#: (background, label colour) of each quadrant.
QUADRANT_FILLS = {
    "near_term": ("#e6f4ea", "#1e6b34"),
    "key_push": ("#fdf0e1", "#9a5a06"),
    "reserve": ("#e7f0fa", "#1f4e79"),
    "defer": ("#f2f2f2", "#555555"),
}

#: The report's styles for the chart and the quadrant tags.
MATRIX_CSS = """
.matrix-svg { display: block; width: 100%; max-width: 600px; height: auto; margin: 6px 0 4px; }
.q { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; color: #fff; white-space: nowrap; }
.q-near_term { background: #2e7d32; } .q-key_push { background: #b76e00; } .q-reserve { background: #1f4e79; }
.q-defer { background: #777; } .q-supply_security { background: #5d4037; }
@media print { .matrix-svg { max-width: 125mm; } }
"""

_W, _H = 400, 336
_L, _R, _T, _B = 46, 392, 12, 290  # plot area


def _e(value: object) -> str:
    return escape(printable(str(value))[0])


def _x(v: float) -> float:
    return _L + (_R - _L) * min(max(v, 0.0), 1.0)


def _y(v: float) -> float:
    return _B - (_B - _T) * min(max(v, 0.0), 1.0)


def matrix_svg(m: GapMatrix, *, title: str = "") -> str:
    """The scatter as an ``<svg>`` element (numbers are the rows' positions in ``m.rows``, from 1).

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> from chaingraph.analysis.matrix import gap_matrix
    >>> from chaingraph.results.options import Options
    >>> svg = matrix_svg(gap_matrix(load_dataset("data"), opts=Options(zone="晋城经开区")))
    >>> svg.startswith("<svg") and "近期可招" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    True
    """
    fx, fy = _x(m.feasibility_median), _y(m.attractiveness_median)
    out = [
        f'<svg class="matrix-svg" viewBox="0 0 {_W} {_H}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{_e(title or "招商矩阵：可行性 × 吸引力")}">',
        # quadrants: top-left key_push, top-right near_term, bottom-left defer, bottom-right reserve
        f'<rect x="{_L}" y="{_T}" width="{fx - _L:.1f}" height="{fy - _T:.1f}" fill="{QUADRANT_FILLS["key_push"][0]}"/>',
        f'<rect x="{fx:.1f}" y="{_T}" width="{_R - fx:.1f}" height="{fy - _T:.1f}" fill="{QUADRANT_FILLS["near_term"][0]}"/>',
        f'<rect x="{_L}" y="{fy:.1f}" width="{fx - _L:.1f}" height="{_B - fy:.1f}" fill="{QUADRANT_FILLS["defer"][0]}"/>',
        f'<rect x="{fx:.1f}" y="{fy:.1f}" width="{_R - fx:.1f}" height="{_B - fy:.1f}" fill="{QUADRANT_FILLS["reserve"][0]}"/>',
    ]  # fmt: skip
    for code, qx, qy, anchor in (("key_push", _L + 5, _T + 17, "start"), ("near_term", _R - 5, _T + 17, "end"),
                               ("defer", _L + 5, _B - 7, "start"), ("reserve", _R - 5, _B - 7, "end")):  # fmt: skip
        out.append(f'<text x="{qx}" y="{qy}" text-anchor="{anchor}" font-size="14" font-weight="700" '
                   f'fill="{QUADRANT_FILLS[code][1]}">{_e(QUADRANT_LABELS[code])}</text>')  # fmt: skip
    # axes, ticks and the medians
    for k in range(5):
        v = k / 4
        out.append(f'<line x1="{_x(v):.1f}" y1="{_B}" x2="{_x(v):.1f}" y2="{_B + 4}" stroke="#888"/>'
                   f'<text x="{_x(v):.1f}" y="{_B + 16}" text-anchor="middle" font-size="11" fill="#555">{v:g}</text>'
                   f'<line x1="{_L - 4}" y1="{_y(v):.1f}" x2="{_L}" y2="{_y(v):.1f}" stroke="#888"/>'
                   f'<text x="{_L - 6}" y="{_y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{v:g}</text>')  # fmt: skip
    out.append(f'<rect x="{_L}" y="{_T}" width="{_R - _L}" height="{_B - _T}" fill="none" stroke="#999"/>')
    out.append(f'<line x1="{fx:.1f}" y1="{_T}" x2="{fx:.1f}" y2="{_B}" stroke="#444" stroke-dasharray="4 3"/>'
               f'<line x1="{_L}" y1="{fy:.1f}" x2="{_R}" y2="{fy:.1f}" stroke="#444" stroke-dasharray="4 3"/>')  # fmt: skip
    out.append(f'<text x="{(_L + _R) / 2}" y="{_H - 8}" text-anchor="middle" font-size="12.5" fill="#333">'
               f"可行性：关联密度（虚线为中位数 {m.feasibility_median:.2f}）→</text>"
               f'<text transform="translate(13 {(_T + _B) / 2}) rotate(-90)" text-anchor="middle" font-size="12.5" '
               f'fill="#333">吸引力（中位数 {m.attractiveness_median:.2f}）→</text>')  # fmt: skip
    rows = m.rows[:CHART_POINTS]
    top = max([r.value_kept for r in rows] + [0.0]) or 1.0
    placed: list[tuple[float, float, float, list[int]]] = []  # x, y, radius, numbers sharing the label
    dots = []
    for k, r in enumerate(rows, 1):
        x, y = _x(r.density or 0.0), _y(r.attractiveness)
        rad = 4.5 + 7.5 * math.sqrt(max(r.value_kept, 0.0) / top)
        tip = (f"{k}. {r.product}（{GAP_KINDS.get(r.kind, r.kind)}，{QUADRANT_LABELS.get(r.quadrant, r.quadrant)}）"
               f" 关联密度 {'—' if r.density is None else f'{r.density:.3f}'}，吸引力 {r.attractiveness:.3f}，"
               f"补链可留本地 {money3(r.value_kept)}/年")  # fmt: skip
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}" fill="{KIND_COLOURS.get(r.kind, "#555")}" '
                    f'fill-opacity="0.82" stroke="#fff" stroke-width="1"><title>{_e(tip)}</title></circle>')  # fmt: skip
        near = next((p for p in placed if abs(p[0] - x) < 9 and abs(p[1] - y) < 9), None)
        if near is None:
            placed.append((x, y, rad, [k]))
        else:
            near[3].append(k)
    out.extend(dots)
    for x, y, rad, nums in placed:
        text = "、".join(str(n) for n in nums[:4]) + ("…" if len(nums) > 4 else "")
        right = x < _R - 28
        lx = x + rad + 2 if right else x - rad - 2
        out.append(f'<text x="{lx:.1f}" y="{y + 4:.1f}" text-anchor="{"start" if right else "end"}" font-size="11.5" '
                   f'font-weight="700" fill="#1d1d1f" stroke="#fff" stroke-width="3" paint-order="stroke">'
                   f"{_e(text)}</text>")  # fmt: skip
    out.append("</svg>")
    return "".join(out)
