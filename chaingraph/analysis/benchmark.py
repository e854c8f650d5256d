"""Peer zones (对标, docs/analysis.md, "Peer zones"): zone Z against the other zones of the data.

Each compared zone's headline figures (definitions 1, 4–6, from the one-pass zones summary that
``analyze --all-zones`` shows) side by side, Z's chains' stage coverage in each, and for each of Z's gaps the peer zones with local makers of it —
makers, not traders (the ranked list's rule) — with their firms and what they sell of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chaingraph.analysis.closure import stage_coverage
from chaingraph.analysis.context import ZoneContext, zone_of
from chaingraph.analysis.gaps import gaps
from chaingraph.analysis.zones import zones_summary
from chaingraph.model import Dataset
from chaingraph.results.benchmark import Benchmark, build_benchmark, choose_peers, comparable
from chaingraph.results.options import Options

__all__ = ["benchmark"]


def benchmark(
    data: Dataset | ZoneContext, *, opts: Options | None = None, peers: Sequence[str] | None = None
) -> Benchmark:
    """Compare zone Z with ``peers`` (zone names), or with every other zone that has local purchases.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> ds = load_dataset("data")
    >>> b = benchmark(ds, opts=Options(zone="晋城经开区"))
    >>> [(z.zone, z.rank, z.local_sourcing_ratio) for z in b.zones][-2:]
    [('上党经开区', 4, 0.288832), ('晋城经开区', 5, 0.097278)]
    >>> b = benchmark(ds, opts=Options(zone="高平经开区"), peers=["晋城经开区", "临猗现代农业产业示范区"])
    >>> g = next(x for x in b.gaps if x.peers)  # 高平 buys 包装盒 from outside: who makes it in the peers
    >>> g.product, [(p.zone, [m.id for m in p.makers]) for p in g.peers]
    ('包装盒', [('临猗现代农业产业示范区', ['LY-TX', 'LY-X04'])])
    """
    z = zone_of(data, opts)
    ds, o = z.dataset, z.opts
    known = sorted({str(v) for v in ds.enterprises[o.scope].tolist() if str(v)})
    rows = {str(r["zone"]): {str(k): v for k, v in r.items()} for r in zones_summary(ds, opts=o).to_dict("records")}
    ok = [k for k, r in rows.items() if comparable(r)]
    chosen = choose_peers(o.zone, peers, known=known, comparable_zones=ok)
    contexts = {o.zone: z, **{p: ZoneContext.of(ds, replace(o, zone=p)) for p in chosen}}
    g = gaps(z)
    wanted = {x.product for x in g.gaps}
    makers: list[tuple[str, str, str, float]] = []
    for p in chosen:
        m = contexts[p].makers
        m = m[m["product"].isin(wanted)]
        makers.extend((p, str(q), str(i), float(v)) for q, i, v in
                      zip(m["product"].tolist(), m["maker"].tolist(), m["sold"].tolist(), strict=True))  # fmt: skip
    ent = ds.enterprises
    ids = {i for _, _, i, _ in makers}
    sub = ent[ent["id"].isin(ids)]
    info = {str(i): (str(n), str(k)) for i, n, k in
            zip(sub["id"].tolist(), sub["name"].tolist(), sub["kind"].tolist(), strict=True)}  # fmt: skip
    coverage = {k: stage_coverage(c) for k, c in contexts.items()}
    return build_benchmark(o.zone, o.scope, chosen, rows, coverage, g.gaps, makers, info, named=peers is not None)
