"""The zone's hubs: intermediaries by the value they carry (docs/analysis.md, definition 8, "Hubs").

Traders, wholesalers, forwarders and bonded centres carry much of a zone's
supply without making any of it; chain leaders (by anchored value) miss them.
A hub of zone Z is a firm on an active link touching Z either as an
intermediary in ``via`` or as an end of kind ``trader`` or ``logistics``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chaingraph.analysis.invite import INTERMEDIARY_KINDS
from chaingraph.results.hubs import Hub, hub_row, sort_hubs
from chaingraph.results.money import money_sum

__all__ = ["hubs_of"]


def hubs_of(act: pd.DataFrame, ent: pd.DataFrame) -> tuple[Hub, ...]:
    """The hubs of the zone from its considered links (``s_in``/``b_in`` flagged) and the enterprises table."""
    kind = dict(zip(ent["id"].tolist(), ent["kind"].tolist(), strict=True))
    middle = ent.loc[ent["kind"].isin(INTERMEDIARY_KINDS).to_numpy(), "id"]
    purchases = money_sum(act.loc[act["b_in"], "value"])
    touching = act[(act["b_in"] | act["s_in"]) & ((act["via"] != "") | act["supplier_id"].isin(middle)
                                                  | act["buyer_id"].isin(middle))]  # fmt: skip
    info = {i: (n, z) for i, n, z in zip(ent["id"].tolist(), ent["name"].tolist(), ent["zone"].tolist(), strict=True)}
    per: dict[str, list[Any]] = {}  # hub → [into values, out values, links, products]
    for s, b, p, v, via, inbound in zip(touching["supplier_id"].tolist(), touching["buyer_id"].tolist(),
                                        touching["product"].tolist(), touching["value"].tolist(),
                                        touching["via"].tolist(), touching["b_in"].tolist(), strict=True):  # fmt: skip
        hs = {x for x in str(via).split(";") if x} | {e for e in (s, b) if kind.get(e) in INTERMEDIARY_KINDS}
        for h in hs:
            row = per.setdefault(h, [[], [], 0, set()])
            row[0 if inbound else 1].append(float(v))
            row[2] += 1
            row[3].add(p)
    rows = [hub_row(h, *info.get(h, ("", "")), str(kind.get(h, "")), money_sum(i), money_sum(o), purchases, n, ps)
            for h, (i, o, n, ps) in per.items()]  # fmt: skip
    return sort_hubs(rows)
