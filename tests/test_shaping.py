"""Potential-savings rows shaped column by column (issue 20 point 1): the same floats and order as row by row.

``potential_rows`` must give exactly what ``sort_potential([potential_row(...) ...])`` gives, and
``rounded`` exactly Python's ``round``, including values whose scaled form lies on or next to a half,
where a plain ``rint(x * 100) / 100`` rounds the other way.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from chaingraph.render.fmt import to_json
from chaingraph.results.money import money, ratio, ratios, rounded, unit_money
from chaingraph.results.savings import (
    PotentialRows,
    Savings,
    annual_exact,
    candidate_lists,
    potential_row,
    potential_rows,
    sort_potential,
)

#: Values next to a half at 2, 4 or 6 places (naive scaling gets some of these wrong), zeros, huge, tiny.
EDGES = [0.125, 0.375, 2.675, 1.005, 1.015, 0.285, 1234.565, 8.345, 0.0000005, 0.0000015, 2.5e-7, 0.00012345,
         0.00005, 1e15 + 0.125, 4503599627370495.5, 1e300, -1e300, 5e-324, -0.0, 0.0, -0.001, -2.675, 1 / 3,
         0.1 + 0.2, 3181.8181818, 0.0046 - 0.0035, 999999.995, 123456789.125]  # fmt: skip


def _values(n: int, seed: int) -> list[float]:
    rnd = random.Random(seed)
    out = list(EDGES)
    for _ in range(n):
        k = rnd.randint(-(10**9), 10**9)
        d = rnd.choice([2, 3, 4, 5, 6, 7])
        out.append(k / 10**d)  # decimals as read from a CSV: many exactly on or next to a half
        out.append(k / 10**d + rnd.choice([0.5, -0.5]) / 10 ** rnd.choice([2, 4, 6]))
        out.append(rnd.uniform(-1e6, 1e6))
    return out


@pytest.mark.parametrize("digits", [2, 4, 6])
def test_rounded_is_pythons_round_exactly(digits: int) -> None:
    xs = _values(20_000, digits)
    got = rounded(np.array(xs), digits).tolist()
    want = [round(x, digits) for x in xs]
    bad = [(x, g, w) for x, g, w in zip(xs, got, want, strict=True) if repr(g) != repr(w)]  # -0.0 vs 0.0 too
    assert bad == []


def test_a_naive_scaled_rint_would_differ() -> None:
    """The case this guards: rint(x * 100) / 100 differs from round(x, 2) on some inputs; rounded does not."""
    xs = np.array(_values(20_000, 7))
    naive = (np.rint(xs * 100) / 100).tolist()
    want = [round(x, 2) for x in xs.tolist()]
    assert any(n != w for n, w in zip(naive, want, strict=True))
    assert rounded(xs, 2).tolist() == want


def test_money_columns_are_money_and_ratio() -> None:
    xs = _values(2_000, 3)
    assert [(v + 0.0) for v in rounded(np.array(xs), 2).tolist()] == [money(x) for x in xs]
    assert [(v + 0.0) for v in rounded(np.array(xs), 6).tolist()] == [unit_money(x) for x in xs]
    num, den = np.array(xs), np.array(list(reversed(xs)))
    den[::7] = 0.0
    got = ratios(num, den).tolist()
    want = [ratio(a, b) for a, b in zip(num.tolist(), den.tolist(), strict=True)]
    assert [None if np.isnan(g) else g for g in got] == want


def _random_rows(n: int, seed: int) -> dict[str, object]:
    rnd = random.Random(seed)
    buyers = [f"B{rnd.randint(0, 30)}" for _ in range(n)]
    products = [rnd.choice(["钢坯", "电芯", "p1", "p2", "减速器"]) for _ in range(n)]
    suppliers = [rnd.choice(["S1", "S2", "S10", "外地A"]) for _ in range(n)]
    prices = [rnd.choice([np.nan, 0.0, 0.0035, 2850.0, rnd.uniform(0, 5000)]) for _ in range(n)]
    refs = [rnd.choice([np.nan, 0.0021, rnd.uniform(0, 5000)]) for _ in range(n)]
    values = [rnd.choice([1000.0, 1000.005, 0.125, 2.675, round(rnd.uniform(0, 1e7), 2)]) for _ in range(n)]
    vols = [rnd.choice([0.0, 12.34565, rnd.uniform(0, 1e5)]) for _ in range(n)]
    landed = np.array(prices)
    reference = np.where(np.isnan(np.array(refs)), landed * 0.95, np.array(refs))
    unit = np.maximum(0.0, landed - reference)
    annual = np.where(np.isnan(landed), np.array(values) * 0.05, unit * np.array(vols))
    makers = {p: [f"B{k}" for k in rnd.sample(range(40), rnd.randint(1, 14))] for p in set(products)}
    return {"buyer": buyers, "product": products, "supplier": suppliers,
            "supplier_zone": [rnd.choice(["", "外地", "乙区"]) for _ in range(n)], "value": np.array(values),
            "landed": landed, "reference": reference,
            "basis": ["no_price" if np.isnan(x) else "rate" for x in prices], "unit_saving": unit,
            "volume": np.array(vols), "annual": annual, "makers": makers,
            "candidate_count": [rnd.randint(1, 15) for _ in range(n)]}  # fmt: skip


def _row_by_row(d: dict[str, object], rate: float) -> tuple[object, ...]:
    cols = {k: v for k, v in d.items() if k != "makers"}
    rows = []
    for i in range(len(cols["buyer"])):  # type: ignore[arg-type]
        get = {k: v[i] for k, v in cols.items()}  # type: ignore[index]
        priced = not np.isnan(get["landed"])
        cand = [m for m in d["makers"][get["product"]][:11] if m != get["buyer"]]  # type: ignore[index]
        rows.append(potential_row(
            get["buyer"], get["product"], get["supplier"], get["supplier_zone"], float(get["value"]),
            float(get["landed"]) if priced else None, float(get["reference"]) if priced else None, get["basis"],
            float(get["unit_saving"]) if priced else None, float(get["volume"]) if priced else None,
            float(get["annual"]), cand, int(get["candidate_count"]), rate=rate,
        ))  # fmt: skip
    return sort_potential(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_potential_rows_are_the_row_by_row_rows(seed: int) -> None:
    d = _random_rows(3_000, seed)
    want = _row_by_row(d, 0.05)
    cols = {k: v for k, v in d.items() if k != "makers"}
    got = potential_rows(**cols, candidates=candidate_lists(d["buyer"], d["product"], d["makers"]), rate=0.05)  # type: ignore[arg-type]
    assert isinstance(got, PotentialRows) and len(got) == len(want)
    assert got == want and want == got and hash(got) == hash(want)
    assert [r.to_dict() for r in want] == got.to_dicts()
    assert [(r.annual_exact, r) for r in want] == [(r.annual_exact, r) for r in got]  # annual_exact too, in order
    assert annual_exact(got) == annual_exact(want)
    assert got[0] == want[0] and got[-1] == want[-1] and got[5:9] == want[5:9]
    with pytest.raises(IndexError):
        got[len(want)]


def test_the_json_of_a_savings_result_does_not_depend_on_how_its_rows_are_held() -> None:
    d = _random_rows(500, 9)
    cols = {k: v for k, v in d.items() if k != "makers"}
    held = potential_rows(**cols, candidates=candidate_lists(d["buyer"], d["product"], d["makers"]), rate=0.05)  # type: ignore[arg-type]
    a = Savings("甲区", "zone", 0.05, (), held, 0.0, 1.0)
    b = Savings("甲区", "zone", 0.05, (), tuple(held), 0.0, 1.0)
    assert to_json(a.to_dict()) == to_json(b.to_dict()) and a == b and hash(a) == hash(b)


def test_ranks_order_text_as_python_sorts_it() -> None:
    """The potential rows' tie-break ranks: code point order as ``sorted`` gives, trailing NULs and all."""
    from chaingraph.results.savings import _ranks

    for words in (["b", "a", "园区", "a", "Z", "", "éa", "e"], ["a\0", "a", "a\0\0", "b", "a"], ["x"], []):
        distinct = sorted(set(words))
        assert _ranks(words).tolist() == [distinct.index(w) for w in words]
