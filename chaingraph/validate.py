"""Turn raw text tables into typed tables, collecting every problem at once.

Checks are vectorised: one boolean mask per rule.  Python only loops over the
rows a rule flags, to word their messages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from chaingraph.columns import isin, join_lists, positions_of
from chaingraph.errors import Problem
from chaingraph.io import RawTable

__all__ = [
    "KIND_ALIASES",
    "MAX_MONEY",
    "STATUS_ALIASES",
    "Checker",
    "split_list",
    "validate_chains",
    "validate_enterprises",
    "validate_links",
]

#: Largest amount of money accepted, in yuan.  Beyond it float64 can no longer
#: hold every fen exactly when amounts are summed (2**53 fen ≈ 9×10^13 yuan).
MAX_MONEY = 1e13

STATUS_ALIASES = {
    "active": "active",
    "在供": "active",
    "在用": "active",
    "现供": "active",
    "planned": "planned",
    "拟供": "planned",
    "意向": "planned",
    "计划": "planned",
    "former": "former",
    "历史": "former",
    "已替换": "former",
    "停供": "former",
}
KIND_ALIASES = {
    "manufacturer": "manufacturer",
    "制造": "manufacturer",
    "制造商": "manufacturer",
    "生产": "manufacturer",
    "logistics": "logistics",
    "物流": "logistics",
    "保税": "logistics",
    "trader": "trader",
    "贸易": "trader",
    "贸易商": "trader",
}
_TRUE = {"true", "1", "yes", "y", "t", "是", "√"}
_FALSE = {"false", "0", "no", "n", "f", "否", ""}
_SEP = r"\s*[;；]\s*"


def split_list(values: pd.Series) -> pd.Series:
    """Split ``;``-separated cells (ASCII or full-width) into lists, dropping blanks.

    Examples
    --------
    >>> split_list(pd.Series(["冷轧薄板; 钢材", "", "LED；"])).tolist()
    [['冷轧薄板', '钢材'], [], ['LED']]
    """
    parts = values.fillna("").astype(str).str.split(_SEP, regex=True)
    return parts.map(lambda xs: [x for x in xs if x])


def _to_float(text: pd.Series, present: np.ndarray) -> pd.Series:
    """Parse numbers: pyarrow's vectorised cast when every cell is a plain number, else pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(text, type=pa.string(), from_pandas=True)
        arr = pc.if_else(pa.array(present), arr, pa.scalar(None, pa.string()))  # empty: null, not a parse error
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(np.asarray(values, dtype="float64"), index=text.index)
    except (ValueError, TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text.where(present, None), errors="coerce").astype("float64")


def _empty_text(index: pd.Index) -> pd.Series:
    """A column of empty strings, built as one Arrow array (a Python list of 2M "" takes 0.2 s).

    >>> _empty_text(pd.RangeIndex(2)).tolist()
    ['', '']
    """
    import pyarrow as pa

    n = len(index)
    arr = pa.StringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, dtype=np.int32)), pa.py_buffer(b""))
    return pd.Series(pd.array(arr, dtype="str"), index=index)


class Checker:
    """Collects row problems for one :class:`RawTable`."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.bad = np.zeros(len(raw.frame), dtype=bool)
        self._cols: dict[str, pd.Series] = {}

    def col(self, name: str) -> pd.Series:
        """The column as text; an absent optional column reads as empty."""
        frame = self.raw.frame
        if name not in self._cols:
            self._cols[name] = frame[name] if name in frame.columns else _empty_text(frame.index)
        return self._cols[name]

    def flag(
        self, mask: np.ndarray | pd.Series, column: str, message: str, hint: str, *, hints: pd.Series | None = None
    ) -> None:
        """Record a problem for every row where ``mask`` holds.

        ``hints`` gives a row's own hint where one sentence does not fit all.
        """
        m = np.asarray(mask, dtype=bool)
        idx = np.flatnonzero(m)
        if not len(idx):
            return
        self.bad[idx] = True
        shown = self.col(column).to_numpy()[idx]
        row_hints = hints.to_numpy()[idx] if hints is not None else [hint] * len(idx)
        header = self.raw.header(column)
        file, lines = self.raw.file, self.raw.lines
        self.problems.extend(
            Problem(file, int(lines[i]), header, str(v), message, str(h))
            for i, v, h in zip(idx, shown, row_hints, strict=False)
        )

    def required(self, *columns: str) -> None:
        for c in columns:
            self.flag(
                self.col(c) == "", c, "a required value is empty", f"Fill in {self.raw.header(c)!r} or delete the row."
            )

    def money(self, column: str, *, what: str = "yuan", signed: bool = False) -> pd.Series:
        """Parse a money/number column: empty → NaN, errors flagged."""
        text = self.col(column)
        present = (text != "").to_numpy()
        if not present.any():  # an absent or empty column: nothing to parse
            return pd.Series(np.full(len(text), np.nan), index=text.index)
        num = _to_float(text, present).to_numpy(copy=True)
        retry = present & ~np.isfinite(num)
        special = np.zeros(len(text), dtype=bool)
        if retry.any():  # thousands separators, ¥ or 元, inf/nan words: only the few cells that need it
            cleaned = text[retry].str.replace(r"[,，¥￥\s]|元$", "", regex=True)
            num[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64").to_numpy()
            special[retry] = cleaned.str.fullmatch(r"(?i)[+-]?(inf(inity)?|nan)").fillna(False).astype(bool).to_numpy()
        finite = np.isfinite(num)
        with np.errstate(invalid="ignore"):
            negative = finite & (num < 0) & (not signed)
            huge = finite & (num > MAX_MONEY)
        self.flag(present & ~finite & ~special, column, "not a number", f"Write plain {what}, e.g. 2850 or 2850.5.")
        self.flag(present & special, column, "not a finite number", f"Write plain {what}, e.g. 2850.")
        self.flag(present & negative, column, "negative amount",
                  f"Amounts are {what} >= 0; write a former supply as status 'former'.")  # fmt: skip
        self.flag(present & huge, column, "implausibly large amount (over 10万亿)",
                  f"Check the unit: amounts are in {what}.")  # fmt: skip
        num[~finite | negative | huge] = np.nan
        return pd.Series(num, index=text.index)

    def choice(self, column: str, aliases: dict[str, str], *, default: str) -> pd.Series:
        import pyarrow as pa

        text = self.col(column)
        codes, uniques = pd.factorize(text)  # a handful of distinct values: map those, then take
        table = [default if u == "" else aliases.get(str(u).lower()) for u in uniques]
        known = np.array([t is not None for t in table] + [True], dtype=bool)
        allowed = " / ".join(sorted(set(aliases)))
        self.flag(~known[codes], column, "unknown value", f"Use one of: {allowed}.")
        values = pa.array([t or default for t in table] + [default], type=pa.string())
        taken = values.take(pa.array(np.where(codes < 0, len(table), codes)))
        return pd.Series(pd.array(taken, dtype="str"), index=text.index)


def validate_enterprises(raw: RawTable) -> tuple[pd.DataFrame, Checker]:
    """Type the enterprises table; duplicates after the first are flagged."""
    ck = Checker(raw)
    ck.required("id", "name", "zone")
    ids = ck.col("id")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first_line = pd.Series(raw.lines, index=ids.index).groupby(ids).transform("first")
        ck.flag(
            dup,
            "id",
            "duplicate enterprise id",
            "",
            hints="The id is first used on line " + first_line.astype(str) + "; merge the rows or give a new id.",
        )
    leader_text = ck.col("chain_leader").str.lower()
    ck.flag(~leader_text.isin(_TRUE | _FALSE), "chain_leader", "not true/false", "Write true or false (是/否).")
    lat, lon = ck.money("lat", what="degrees", signed=True), ck.money("lon", what="degrees", signed=True)
    ck.flag((lat.abs() > 90).fillna(False), "lat", "latitude out of range", "Latitude is -90..90.")
    ck.flag((lon.abs() > 180).fillna(False), "lon", "longitude out of range", "Longitude is -180..180.")
    out = pd.DataFrame(
        {
            "id": ids,
            "name": ck.col("name"),
            "zone": ck.col("zone"),
            "park": ck.col("park"),
            "city": ck.col("city"),
            "province": ck.col("province"),
            "industry": ck.col("industry"),
            "products": ck.col("products"),
            "kind": ck.choice("kind", KIND_ALIASES, default="manufacturer"),
            "output_value": ck.money("output_value"),
            "employees": ck.money("employees", what="people"),
            "chain_leader": leader_text.isin(_TRUE),
            "lat": lat.where(lat.abs() <= 90),
            "lon": lon.where(lon.abs() <= 180),
            "line": raw.lines,
        },
        copy=False,
    )
    return out, ck


def validate_links(raw: RawTable, known_ids: pd.Index) -> tuple[pd.DataFrame, Checker, np.ndarray]:
    """Type the links table and derive value, landed cost and volume.

    Also returns the link ends: a ``(2, rows)`` array with, per link row, the
    position of its supplier and of its buyer in ``known_ids`` (first
    occurrence; -1 when unknown).  The id check computes them anyway, and the
    analyses need them to tell which links touch a zone.
    """
    ck = Checker(raw)
    ck.required("supplier_id", "buyer_id", "product")
    sup, buy = ck.col("supplier_id"), ck.col("buyer_id")
    hint = "Add the enterprise to enterprises.csv or correct the id."
    ends = np.stack(positions_of((sup, buy), known_ids))
    ck.flag((sup != "").to_numpy() & (ends[0] < 0), "supplier_id", "unknown enterprise id", hint)
    ck.flag((buy != "").to_numpy() & (ends[1] < 0), "buyer_id", "unknown enterprise id", hint)
    ck.flag(
        (sup != "") & (sup == buy), "buyer_id", "an enterprise cannot supply itself", "Correct supplier_id or buyer_id."
    )
    value = ck.money("annual_value")
    volume = ck.money("annual_volume", what="units")
    price = ck.money("unit_price")
    logistics = ck.money("logistics_cost")
    value = value.fillna(volume * price)  # as read, not rounded: a 0.0035 元 part keeps its digits
    no_value = (
        value.isna()
        & (ck.col("annual_value") == "")
        & ~((ck.col("annual_volume") != "") & (ck.col("unit_price") != ""))
    )
    ck.flag(
        no_value,
        "annual_value",
        "no annual value, and no volume and unit price to compute it",
        "Fill in annual_value (年采购额) in yuan, or annual_volume and unit_price.",
    )
    status = ck.choice("status", STATUS_ALIASES, default="active")
    via, items, rows = join_lists(ck.col("via"))  # ids joined by ";" in route order
    unknown = np.zeros(len(raw.frame), dtype=bool)
    unknown[rows[~isin(items, known_ids)]] = True
    ck.flag(unknown, "via", "unknown intermediary id", hint)
    landed = price + logistics.fillna(0.0)
    vol = volume.fillna(value / price.where(price > 0))
    out = pd.DataFrame(
        {
            "supplier_id": sup,
            "buyer_id": buy,
            "product": ck.col("product"),
            "annual_value": value,
            "annual_volume": volume,
            "unit_price": price,
            "logistics_cost": logistics.fillna(0.0),
            "status": status,
            "via": via,
            "note": ck.col("note"),
            "line": raw.lines,
            "value": value.fillna(0.0),
            "landed": landed,
            "vol": vol,
        },
        copy=False,  # the columns are new: no need for pandas to copy them again
    )
    return out, ck, ends


def validate_chains(raw: RawTable) -> tuple[pd.DataFrame, Checker]:
    """Type the chain map; a product may not feed itself."""
    ck = Checker(raw)
    ck.required("chain", "product")
    product, inp = ck.col("product"), ck.col("input")
    ck.flag((inp != "") & (inp == product), "input", "a product cannot feed itself", "Correct the input column.")
    _flag_cycles(ck, ck.col("chain"), product, inp)
    out = pd.DataFrame(
        {
            "chain": ck.col("chain"),
            "product": product,
            "input": inp,
            "segment": ck.col("segment"),
            "line": raw.lines,
        }
    )
    return out, ck


def _flag_cycles(ck: Checker, chain: pd.Series, product: pd.Series, inp: pd.Series) -> None:
    """Flag each row that closes a product cycle inside its chain (docs/analysis.md, "Loading").

    A cycle has no end product, so the chain would drop out of stage coverage.
    Rows are taken in file order; the row whose input is already reachable
    from its product is the one that feeds back, and its hint shows the loop.
    """
    import networkx as nx

    ok = ((inp != "") & (product != "") & (chain != "") & (inp != product)).to_numpy() & ~ck.bad
    rows = np.flatnonzero(ok)
    if not len(rows):
        return
    ch, src, dst = chain.to_numpy()[rows], inp.to_numpy()[rows], product.to_numpy()[rows]
    g: nx.DiGraph = nx.DiGraph()
    g.add_edges_from(zip(zip(ch, src, strict=True), zip(ch, dst, strict=True), strict=True))
    cyclic = {n for c in nx.strongly_connected_components(g) if len(c) > 1 for n in c}
    if not cyclic:
        return
    seen: nx.DiGraph = nx.DiGraph()  # the chain map so far, in file order, for the rows inside a cycle
    hints = np.full(len(chain), "", dtype=object)
    bad = np.zeros(len(chain), dtype=bool)
    for i, c, u, v in zip(rows.tolist(), ch.tolist(), src.tolist(), dst.tolist(), strict=True):
        if (c, u) not in cyclic or (c, v) not in cyclic:
            continue
        if seen.has_node((c, v)) and seen.has_node((c, u)) and nx.has_path(seen, (c, v), (c, u)):
            loop = [p for _, p in nx.shortest_path(seen, (c, v), (c, u))] + [v]
            bad[i] = True
            hints[i] = (f"Chain {c!r}: {' → '.join(loop)}. A chain map runs from inputs to end products; "
                        "remove or correct the row that feeds back.")  # fmt: skip
        else:
            seen.add_edge((c, u), (c, v))
    ck.flag(bad, "input", "this row closes a product cycle (a cycle has no end product)", "", hints=pd.Series(hints))
