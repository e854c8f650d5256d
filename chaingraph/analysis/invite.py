"""Whom to invite: makers, not traders (docs/analysis.md, "The ranked invitation list").

A development zone invites production.  A trader (``kind`` trader) or a
logistics firm (``kind`` logistics) that sells a product into the zone brings
none: the makers behind it are traced where the data shows them — the
intermediary's own suppliers of the product, and the links of the product
routed through it (``via``) — else the target is "maker unknown".  Raw
materials bound to a resource (a chain-map stage with no inputs whose
``segment`` marks it 原材料 / 资源 / raw) are supply-security items, not
invitation targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from chaingraph.model import Dataset
from chaingraph.results.money import money, money_sum, ratio
from chaingraph.results.options import Options
from chaingraph.results.rank import RAW_SEGMENT, is_raw_segment, raw_products

__all__ = [
    "INTERMEDIARY_KINDS",
    "MAX_TRACE_DEPTH",
    "RAW_SEGMENT",
    "Target",
    "Tracer",
    "is_raw_segment",
    "raw_materials",
]

#: Enterprise kinds that carry goods but make none.
INTERMEDIARY_KINDS = ("trader", "logistics")
#: How many intermediaries deep a maker is looked for (a trader buying from a trader …).
MAX_TRACE_DEPTH = 4


def raw_materials(ds: Dataset) -> frozenset[str]:
    """Chain-map stages with no inputs whose segment marks them raw material (:func:`is_raw_segment`)."""
    return raw_products(ds.chains)


@dataclass(frozen=True)
class Target:
    """A maker to invite for a gap, with its share of the zone's outside purchases (``id`` None: unknown)."""

    id: str | None
    name: str
    zone: str
    share: float | None
    value: float
    via: tuple[str, ...]
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "zone": self.zone, "share": self.share, "value": self.value,
                "via": list(self.via), "basis": self.basis}  # fmt: skip


class Tracer:
    """Traces the makers behind a zone's outside suppliers of a product (one per dataset and options).

    ``basis`` of a target: ``direct`` (it sells to the zone itself), ``supplier_of_intermediary`` (it
    sells the product to the trader or logistics firm in ``via``), ``routed_through`` (its links of
    the product pass the intermediary), ``unknown`` (the data shows no maker behind ``via``).
    """

    def __init__(self, ds: Dataset, opts: Options) -> None:
        ent = ds.enterprises
        self.kind = dict(zip(ent["id"].tolist(), ent["kind"].tolist(), strict=True))
        self.info = {i: (n, z) for i, n, z in zip(ent["id"].tolist(), ent["name"].tolist(),
                                                  ent["zone"].tolist(), strict=True)}  # fmt: skip
        self.city = dict(zip(ent["id"].tolist(), ent["city"].tolist(), strict=True))
        self.in_zone = set(ent.loc[(ent[opts.scope] == opts.zone).to_numpy(), "id"].tolist())
        links = ds.links.iloc[ds.index.status_mask(opts.statuses).nonzero()[0]]
        middle = set(i for i, k in self.kind.items() if k in INTERMEDIARY_KINDS)
        own = links[links["buyer_id"].isin(middle)]
        #: (intermediary, product) → its suppliers of the product (id, value), largest first, then id.
        self.own: dict[tuple[str, str], list[tuple[str, float]]] = _by_value(own, "buyer_id")
        routed = links[links["via"] != ""][["supplier_id", "product", "value", "via"]]
        routed = routed.assign(via=routed["via"].str.split(";")).explode("via")
        routed = routed[routed["via"].isin(middle) & (routed["via"] != routed["supplier_id"])]
        #: (intermediary, product) → the suppliers whose links of the product pass it (id, value), as ``own``.
        self.routed: dict[tuple[str, str], list[tuple[str, float]]] = _by_value(routed, "via")

    def is_maker(self, firm: str) -> bool:
        return self.kind.get(firm, "manufacturer") not in INTERMEDIARY_KINDS

    def _behind(
        self, firm: str, product: str, seen: tuple[str, ...]
    ) -> list[tuple[str | None, float, tuple[str, ...], str]]:
        """(maker or None, weight, intermediaries, basis) behind intermediary ``firm``; weights sum to 1."""
        seen = (*seen, firm)
        sources = [(s, v, "supplier_of_intermediary") for s, v in self.own.get((firm, product), [])]
        sources += [(s, v, "routed_through") for s, v in self.routed.get((firm, product), [])]
        sources = [(s, v, b) for s, v, b in sources if s not in seen and v > 0]
        total = money_sum([v for _, v, _ in sources])
        if total <= 0:
            return [(None, 1.0, seen, "unknown")]
        out: list[tuple[str | None, float, tuple[str, ...], str]] = []
        for s, v, basis in sources:
            w = v / total
            if self.is_maker(s):
                out.append((s, w, seen, basis))
            elif len(seen) < MAX_TRACE_DEPTH:
                out.extend((m, w * x, path, b) for m, x, path, b in self._behind(s, product, seen))
            else:
                out.append((None, w, (*seen, s), "unknown"))
        return out

    def targets(self, product: str, suppliers: list[tuple[str, float]], demand: float) -> tuple[Target, ...]:
        """The makers to invite for ``product``, from its outside suppliers (id, value into the zone).

        Local makers found behind an intermediary are left out (they are not to be invited).  Sorted
        by value, largest first; the unknown makers (one row per intermediary route) after the known.
        """
        known: dict[str, list[Any]] = {}  # maker → [value, intermediaries, bases]
        unknown: dict[tuple[str, ...], float] = {}  # intermediary route → value whose maker is unknown
        for sid, value in suppliers:
            if self.is_maker(sid):
                parts: list[tuple[str | None, float, tuple[str, ...], str]] = [(sid, 1.0, (), "direct")]
            else:
                parts = self._behind(sid, product, ())
            for m, w, path, basis in parts:
                if m is None:
                    unknown[path] = unknown.get(path, 0.0) + value * w
                elif m not in self.in_zone:
                    row = known.setdefault(m, [0.0, [], []])
                    row[0] += value * w
                    row[1].extend(x for x in path if x not in row[1])
                    if basis not in row[2]:
                        row[2].append(basis)
        rows = [Target(m, *self.info.get(m, ("", "")), ratio(v, demand), money(v) or 0.0, tuple(via), "+".join(b))
                for m, (v, via, b) in known.items()]  # fmt: skip
        rows += [Target(None, "厂家未知 maker unknown", "", ratio(v, demand), money(v) or 0.0, path, "unknown")
                 for path, v in unknown.items()]  # fmt: skip
        return tuple(sorted(rows, key=lambda t: (t.id is None, -t.value, t.id or "", t.via)))


def _by_value(frame: pd.DataFrame, by: str) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """Per (``by``, product) of ``frame``'s rows: (supplier id, Σ value), largest first, then id.

    One grouping over all rows (not one per pair: an intermediary-heavy zone has tens of thousands of
    pairs); each sum adds the same rows in the same order as a grouping of that pair's rows alone.

    >>> f = pd.DataFrame({"buyer_id": ["T", "T", "T"], "product": ["钢", "钢", "钢"],
    ...                   "supplier_id": ["b", "a", "b"], "value": [1.0, 3.0, 2.0]})
    >>> _by_value(f, "buyer_id")
    {('T', '钢'): [('a', 3.0), ('b', 3.0)]}
    """
    g = frame.groupby([by, "product", "supplier_id"], sort=False)["value"].sum().reset_index()
    g = g.sort_values([by, "product", "value", "supplier_id"], ascending=[True, True, False, True], kind="stable")
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for k, p, i, v in zip(g[by].tolist(), g["product"].tolist(), g["supplier_id"].tolist(), g["value"].tolist(),
                          strict=True):  # fmt: skip
        out.setdefault((str(k), str(p)), []).append((str(i), float(v)))
    return out
