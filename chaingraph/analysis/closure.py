"""Question 1: how closed is the zone's chain (definitions 1–3 of docs/analysis.md)."""

from __future__ import annotations

import pandas as pd

from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.listcells import split_list
from chaingraph.model import Dataset
from chaingraph.productflow import turns
from chaingraph.results.closure import ChainCoverage, Closure, build_closure, coverage_row
from chaingraph.results.options import Options

__all__ = ["closure", "derived_end_products", "stage_coverage", "zone_turns"]


def closure(data: Dataset | ZoneContext, *, opts: Options | None = None) -> Closure:
    """Compute definitions 1–3 for the zone: a :class:`ZoneContext`, or a dataset and ``opts``.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> c = closure(load_dataset("data"), opts=Options(zone="晋城经开区"))
    >>> ("JC-JG", "JC-FSK", "JC-YTL") in c.local_chains
    True
    """
    z = zone_of(data, opts)
    ds, act = z.dataset, z.links
    into = act[act["b_in"]][["buyer_id", "product", "s_in", "value"]]
    if ds.chains is not None:
        tags = into[["product"]].drop_duplicates().merge(ds.index.chain_stages, on="product")
        tags = tags.rename(columns={"product": "key"})
    else:
        ind = ds.enterprises[["id", "industry"]].assign(chain=split_list(ds.enterprises["industry"])).explode("chain")
        tags = ind.dropna()[["id", "chain"]].rename(columns={"id": "key"})
    return build_closure(
        z.opts, into, tags, "product" if ds.chains is not None else "buyer_id", z.member_names, _coverage(z),
        act[act["s_in"] & act["b_in"]], derived=ds.chains is None,
    )  # fmt: skip


def stage_coverage(data: Dataset | ZoneContext, *, opts: Options | None = None) -> tuple[ChainCoverage, ...]:
    """Definition 2 alone: closure's ``chains`` rows (stage coverage per chain end product), for comparing zones."""
    return _coverage(zone_of(data, opts))


def _row(chain: str | None, q: str, upstream: set[str], made: frozenset[str]) -> ChainCoverage:
    return coverage_row(chain, q, len(upstream), sum(1 for p in upstream if p in made),
                        [p for p in upstream if p not in made])  # fmt: skip


def _coverage(z: ZoneContext) -> tuple[ChainCoverage, ...]:
    ds, act, made = z.dataset, z.links, z.made
    rows: list[ChainCoverage] = []
    if ds.chains is not None:
        for chain in sorted(pd.unique(ds.chains["chain"]).tolist()):
            g = ds.index.chain_flow(chain)
            rows.extend(_row(chain, q, g.ancestors(q) | {q}, made) for q in g.ends())
        return tuple(rows)
    ends = list(derived_end_products(act))
    up = z.flow.reach(ends, up=True)  # the flow graph asked once for every end product
    for q in ends:
        rows.append(_row(None, q, set(up[q]) | {q}, made))
    return tuple(rows)


def zone_turns(act: pd.DataFrame) -> pd.DataFrame:
    """Pairs (``p``, ``q``), p ≠ q, where a firm of Z buys p and sells q on ``act``: the zone's own product flow.

    ``act`` is :attr:`ZoneContext.links`.
    """
    return turns(act, buys=act["b_in"], sells=act["s_in"])


def derived_end_products(act: pd.DataFrame) -> list[str]:
    """Without chains.csv: the products Z firms sell that no Z firm turns into another product, sorted.

    ``act`` is :attr:`ZoneContext.links`.  Each is an end product of a derived
    chain (stage coverage, the panorama).
    """
    sold_by_z = set(pd.unique(act.loc[act["s_in"], "product"]).tolist())
    return sorted(sold_by_z - set(zone_turns(act)["p"].tolist()))
