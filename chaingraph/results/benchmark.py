"""Peer zones (对标, docs/analysis.md, "Peer zones"): the result types, the choice of peers and the one builder.

Zone Z against the other zones of the data (or the named peers) on the local sourcing ratio,
per-chain stage coverage, savings and gaps; and for each of Z's gaps, the peer zones that have
local makers of it, with those firms (makers, not traders): whom to ask first.  Both engines
compute each zone's closure, savings and gaps and the peers' makers their own way and build the
result here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from chaingraph.errors import ChaingraphError, param
from chaingraph.results.closure import ChainCoverage
from chaingraph.results.gaps import GapRow
from chaingraph.results.money import money

__all__ = [
    "INTERMEDIARY_KINDS",
    "Benchmark",
    "ChainRow",
    "GapPeers",
    "PeerMaker",
    "PeerZone",
    "ZoneFigures",
    "build_benchmark",
    "choose_peers",
    "comparable",
    "parse_peers",
]

#: Enterprise kinds that carry goods but make none (``analysis.invite`` uses the same): never a peer's maker.
INTERMEDIARY_KINDS = ("trader", "logistics")


def comparable(row: Mapping[Any, Any]) -> bool:
    """Whether a zones-summary row is a zone to compare: it has local purchases and so a ratio.

    Places with none are mostly outside suppliers' regions (深圳市, 香港 …), not zones.

    >>> comparable({"local_value": 5.0, "local_sourcing_ratio": 0.5})
    True
    >>> comparable({"local_value": 0.0, "local_sourcing_ratio": 0.0})
    False
    """
    lsr = row.get("local_sourcing_ratio")
    return float(row.get("local_value") or 0) > 0 and lsr is not None and lsr == lsr


def parse_peers(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``A,B`` (also ``，``, ``、`` and ``;``) as zone names; ``None`` or nothing named: every other zone.

    >>> parse_peers("高平经开区，泽州园区、 阳城园区"), parse_peers(None), parse_peers(" , ")
    (('高平经开区', '泽州园区', '阳城园区'), None, None)
    """
    if text is None:
        return None
    parts = [text] if isinstance(text, str) else list(text)
    out: list[str] = []
    for part in parts:
        for sep in "，、;；":
            part = part.replace(sep, ",")
        out.extend(p.strip() for p in part.split(",") if p.strip())
    return tuple(dict.fromkeys(out)) or None


def choose_peers(
    zone: str, peers: Sequence[str] | None, *, known: Sequence[str], comparable_zones: Sequence[str]
) -> tuple[str, ...]:
    """The zones Z is compared with: the named ``peers`` (Z itself left out), else every comparable zone but Z.

    A named zone the data does not have is an error that lists the known ones.

    >>> choose_peers("Z", None, known=["A", "B", "Z"], comparable_zones=["A", "Z"])
    ('A',)
    >>> choose_peers("Z", ["B", "Z"], known=["A", "B", "Z"], comparable_zones=["A", "Z"])
    ('B',)
    """
    if peers is None:
        return tuple(sorted(z for z in comparable_zones if z != zone))
    unknown = [p for p in peers if p not in set(known)]
    if unknown:
        raise ChaingraphError(
            f"{param('peers')} names {'a zone' if len(unknown) == 1 else 'zones'} the data does not have: "
            f"{', '.join(repr(p) for p in unknown)}. Known zones: {'、'.join(known)}."
        )
    chosen = tuple(p for p in dict.fromkeys(peers) if p != zone)
    if not chosen:
        raise ChaingraphError(f"{param('peers')} names only {zone!r} itself: name at least one other zone.")
    return chosen


@dataclass(frozen=True)
class ZoneFigures:
    """One compared zone's headline figures (closure's, savings', gaps'), with its rank by local sourcing ratio."""

    zone: str
    rank: int | None
    local_sourcing_ratio: float | None
    local_value: float
    total_value: float
    total_realized: float
    total_potential: float
    gaps: int
    missing: int
    weak: int
    empty: int
    chains: int
    chains_closed: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChainRow:
    """One of Z's chains (end products): its stage coverage in Z and in each peer (``None``: no such row there)."""

    chain: str | None
    end_product: str
    coverage: tuple[tuple[str, float | None], ...]
    best_peer: str | None
    best_coverage: float | None

    def of(self, zone: str) -> float | None:
        return dict(self.coverage).get(zone)

    def to_dict(self) -> dict[str, Any]:
        return {"chain": self.chain, "end_product": self.end_product,
                "coverage": {z: c for z, c in self.coverage}, "best_peer": self.best_peer,
                "best_coverage": self.best_coverage}  # fmt: skip


@dataclass(frozen=True)
class PeerMaker:
    """A maker of a gap product in a peer zone: what it sells of it (any buyer), and into Z already."""

    id: str
    name: str
    sold: float
    sells_to_zone: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PeerZone:
    """A peer zone that makes a gap product, and its makers of it (largest sales first)."""

    zone: str
    makers: tuple[PeerMaker, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "makers": [m.to_dict() for m in self.makers]}


@dataclass(frozen=True)
class GapPeers:
    """One of Z's gaps (definition 6) and the peer zones with local makers of it."""

    product: str
    kind: str
    external_demand: float
    peers: tuple[PeerZone, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"product": self.product, "kind": self.kind, "external_demand": self.external_demand,
                "peers": [p.to_dict() for p in self.peers]}  # fmt: skip


@dataclass(frozen=True)
class Benchmark:
    """``chaingraph benchmark``: Z and its peers side by side, and who makes Z's gaps in the peers."""

    zone: str
    scope: str
    peers: tuple[str, ...]
    named: bool
    zones: tuple[ZoneFigures, ...]
    chains: tuple[ChainRow, ...]
    gaps: tuple[GapPeers, ...]

    @property
    def mine(self) -> ZoneFigures:
        return next(z for z in self.zones if z.zone == self.zone)

    def to_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "scope": self.scope, "peers": list(self.peers), "peers_named": self.named,
                "zones": [z.to_dict() for z in self.zones], "chains": [c.to_dict() for c in self.chains],
                "gaps": [g.to_dict() for g in self.gaps]}  # fmt: skip


def _figures(row: Mapping[str, Any], chains: Sequence[ChainCoverage], rank: int | None) -> ZoneFigures:
    lsr = row.get("local_sourcing_ratio")
    return ZoneFigures(str(row["zone"]), rank, None if lsr is None or lsr != lsr else float(lsr),
                       float(row["local_value"] or 0.0), float(row["total_value"] or 0.0),
                       float(row["total_realized"] or 0.0), float(row["total_potential"] or 0.0), int(row["gaps"]),
                       int(row["missing"]), int(row["weak"]), int(row["empty"]), len(chains),
                       sum(1 for r in chains if r.closed))  # fmt: skip


def build_benchmark(
    zone: str,
    scope: str,
    peers: Sequence[str],
    summary: Mapping[str, Mapping[str, Any]],
    coverage: Mapping[str, Sequence[ChainCoverage]],
    zone_gaps: Sequence[GapRow],
    makers: Iterable[tuple[str, str, str, float]],
    info: Mapping[str, tuple[str, str]],
    *,
    named: bool,
) -> Benchmark:
    """The comparison from each compared zone's headline figures and coverage, and the peers' makers.

    ``summary`` holds Z's and each peer's headline row (:data:`~chaingraph.results.analysis.SUMMARY_COLUMNS`,
    as :func:`~chaingraph.results.analysis.summary_row` gives it), ``coverage`` their stage-coverage
    rows (closure's ``chains``), ``zone_gaps`` Z's gap rows; ``makers`` are ``(peer zone, product,
    maker id, sold)`` with ``sold`` the maker's value sold of the product on counted links (any
    buyer); ``info`` maps a maker id to its (name, kind): traders and logistics firms are left out.
    """
    order = [zone, *peers]
    figs = {z: _figures(summary[z], coverage[z], None) for z in order}
    ranked = sorted(
        order, key=lambda z: (figs[z].local_sourcing_ratio is None, -(figs[z].local_sourcing_ratio or 0.0), z)
    )
    zones = tuple(replace(figs[z], rank=k if figs[z].local_sourcing_ratio is not None else None)
                  for k, z in enumerate(ranked, 1))  # fmt: skip
    cov = {z: {(r.chain, r.end_product): r.stage_coverage for r in coverage[z]} for z in order}
    chains = []
    for r in coverage[zone]:
        key = (r.chain, r.end_product)
        row = tuple((z, cov[z].get(key)) for z in order)
        seen = sorted((-c, z) for z, c in row[1:] if c)  # highest coverage above 0, then name
        chains.append(ChainRow(r.chain, r.end_product, row, seen[0][1] if seen else None,
                               -seen[0][0] if seen else None))  # fmt: skip
    gap_rows = zone_gaps
    into_z = {g.product: {s["id"]: float(s["value"] or 0.0) for s in g.suppliers} for g in gap_rows}
    found: dict[tuple[str, str], list[tuple[str, float]]] = {}
    wanted = set(into_z)
    for pz, product, mid, sold in makers:
        if product in wanted and pz in set(peers) and info.get(mid, ("", ""))[1] not in INTERMEDIARY_KINDS:
            found.setdefault((product, pz), []).append((mid, float(sold)))
    gaps = []
    for g in gap_rows:
        zs = []
        for pz in peers:
            ms = found.get((g.product, pz))
            if not ms:
                continue
            agg: dict[str, float] = {}
            for mid, sold in ms:
                agg[mid] = agg.get(mid, 0.0) + sold
            firms = tuple(PeerMaker(m, info.get(m, ("", ""))[0], money(v) or 0.0, into_z[g.product].get(m, 0.0))
                          for m, v in sorted(agg.items(), key=lambda x: (-x[1], x[0])))  # fmt: skip
            zs.append(PeerZone(pz, firms))
        zs.sort(key=lambda p: (-sum(m.sold for m in p.makers), -len(p.makers), p.zone))
        gaps.append(GapPeers(g.product, g.kind, g.external_demand, tuple(zs)))
    return Benchmark(zone, scope, tuple(peers), named, zones, tuple(chains), tuple(gaps))
