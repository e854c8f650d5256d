"""The product flow graph kept on the SQL engine: what is up- and downstream walked there, never brought back.

The product flow graph (docs/analysis.md, "Definitions") has products as nodes
and a link P → Q when a firm buys P and sells Q.  On synthetic data every
product is bought and sold by firms of many kinds, so its links number
hundreds of thousands (591,465 for 1,672 products at 2M links): not small
enough to bring to the driver for every command.  :class:`EngineFlow` keeps
them on the engine as the relation ``reach_flow`` (``reach_flow.sql``) and answers the questions the
analyses ask (:class:`~chaingraph.productflow.Reach`) with a breadth-first walk in SQL, all asked
products at once, in one of two forms (the backend's ``walks_at_once`` chooses; the answers are the same):

* one query per step (Spark: Spark SQL has no recursive query), over the text pairs:

  * ``reach_seed.sql`` takes the first step from each asked product, held as ``reach_new``;
  * ``reach_hop.sql`` steps on from the last frontier, keeping what was not reached yet, held as
    the next ``reach_new``, until a step finds nothing (``reach_grow.sql`` adds each frontier to
    ``reach_seen``);
  * ``reach_pairs.sql`` brings back (asked product, product reached), only those among
    the products the caller names (a zone's gaps' dependents: the zone's made products).

* one recursive query (DuckDB, ``WITH RECURSIVE ... USING KEY``), over the graph with its
  products numbered (``reach_n(product, code)``, ``reach_c(p, q)``: ``reach_codes.sql``,
  ``reach_coded.sql``; over a validated copy kept beside it): ``reach_walk.sql`` keeps one row per
  product reached and group of 128 asked products, with a 128-bit integer mask (a bit per asked
  product), each step going on only from the bits the last one added (what ``reach_hop.sql``
  keeps), and brings back what ``reach_pairs.sql`` does.  A product's neighbours come from
  ``reach_next.sql`` (``reach_seed.sql`` over the codes).  Thirteen steps at 2M links were thirteen
  held tables and 0.98 s; the one query with a BIT string per product took 0.18 s for a zone's 68
  gap products (591,474 links, 1,677 products), with integer masks 0.09 s.

What comes back is what one zone's analysis needs: per gap product, its
dependents among the products the zone makes; per gap product, its direct
inputs and outputs (the ranked list and the gap matrix show them); without a
chain map, per end product of the zone, everything upstream of it (stage
coverage lists what is missing).  Every answer is remembered, so asking twice
costs nothing.  A what-if landing's graph after the landing is held the same
way (``reach_landed.sql``; numbered again on DuckDB): the pairs of the firms no changed link touches stay
on the engine, the changed firms' pairs are computed from their own rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from chaingraph.relational.engine import SqlBackend

__all__ = ["EngineFlow"]

#: A walk longer than this many steps means the engine's rows disagree with themselves (a graph of n products
#: needs at most n - 1): stop rather than loop.
_MAX_STEPS = 1_000_000


def _texts(values: Iterable[str]) -> np.ndarray:
    """A text column to register (:meth:`~chaingraph.relational.engine.SqlBackend._register`): no frame made."""
    return np.array([str(v) for v in values], dtype=object)


class EngineFlow:
    """The product flow graph on ``backend`` (:class:`~chaingraph.productflow.Reach`), see the module's text.

    ``planned``: over the active and planned links.  ``landed``: the token of the what-if graph held as
    ``reach_landed`` (:func:`~chaingraph.relational.zone_slice.landed_flow`); ``products``: its nodes.
    """

    def __init__(self, backend: SqlBackend, *, planned: bool, landed: object | None = None,
                 products: Callable[[], frozenset[str]] | None = None) -> None:  # fmt: skip
        self._backend = backend
        self._nodes = products
        self._planned = planned
        self._landed = landed
        self._reach: dict[tuple[bool, frozenset[str] | None], dict[str, frozenset[str]]] = {}
        self._next: dict[bool, dict[str, list[str]]] = {False: {}, True: {}}
        self._products: frozenset[str] | None = None

    # -- the Reach questions -----------------------------------------------------------------------
    def reach(self, sources: Iterable[str], *, up: bool = False,
              among: Collection[str] | None = None) -> dict[str, frozenset[str]]:  # fmt: skip
        """Per source, the products it reaches (downstream; upstream with ``up``), only those in ``among`` if given."""
        keep = None if among is None else frozenset(among)
        known = self._reach.setdefault((up, keep), {})
        asked = list(dict.fromkeys(str(s) for s in sources))
        missing = [s for s in asked if s not in known]
        if missing:
            known.update(self._walk(missing, up=up, among=keep))
        return {s: known[s] for s in asked}

    def neighbours(self, products: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]:
        """Per product, its (predecessors, successors), each sorted."""
        asked = list(dict.fromkeys(str(p) for p in products))
        for up in (True, False):
            known = self._next[up]
            missing = [p for p in asked if p not in known]
            if missing:
                known.update(self._step(missing, up=up))
        return {p: (self._next[True][p], self._next[False][p]) for p in asked}

    def descendants(self, product: str) -> set[str]:
        return set(self.reach([product])[product])

    def ancestors(self, product: str) -> set[str]:
        return set(self.reach([product], up=True)[product])

    def predecessors(self, product: str) -> list[str]:
        return self.neighbours([product])[product][0]

    def successors(self, product: str) -> list[str]:
        return self.neighbours([product])[product][1]

    def __contains__(self, product: object) -> bool:
        """Whether ``product`` is a node: a product of the considered links or of the chain map (brought back: products)."""
        if self._products is None and self._nodes is not None:
            self._products = self._nodes()
        if self._products is None:
            b = self._backend
            rows = b._fetch("flow_products", {"planned": self._planned})["product"].tolist()
            chains = b._chain_columns()
            stages = [] if chains is None else [*chains["product"], *chains["input"]]
            self._products = frozenset(str(p) for p in [*rows, *stages] if p is not None and str(p) != "")
        return product in self._products

    # -- on the engine -----------------------------------------------------------------------------
    def _graph(self, *, up: bool) -> None:
        """Hold ``reach_g``: this graph, walked downstream or (``up``) upstream."""
        b = self._backend
        b._reach_flow(self._planned)
        if self._landed is not None and b._reach_landed_by is not self._landed:
            raise RuntimeError("the what-if graph held on the engine was replaced by another")  # pragma: no cover
        held = (self._planned, self._landed, up)
        if b._reach_g != held:
            b._hold_graph(up=up, landed=self._landed is not None)
            b._reach_g = held

    def _step(self, products: list[str], *, up: bool) -> dict[str, list[str]]:
        """One step from each of ``products``: their predecessors (``up``) or successors, sorted."""
        b = self._backend
        self._graph(up=up)
        b._register("reach_from", {"product": _texts(products)})
        rows = b._fetch("reach_next" if b.walks_at_once else "reach_seed", {})
        out: dict[str, list[str]] = {p: [] for p in products}
        for s, x in zip(rows["s"].astype(str).tolist(), rows["x"].astype(str).tolist(), strict=True):
            out[s].append(x)
        return {p: sorted(v) for p, v in out.items()}

    def _walk(self, sources: list[str], *, up: bool, among: frozenset[str] | None) -> dict[str, frozenset[str]]:
        """Everything reached from each of ``sources`` (only what is in ``among``), walked on the engine."""
        b = self._backend
        self._graph(up=up)
        b._register("reach_among", {"product": _texts(sorted(among or ()))})
        if b.walks_at_once:
            b._register("reach_from", {"product": _texts(sources), "i": np.arange(len(sources), dtype=np.int32)})
            rows = b._fetch("reach_walk", {"every": among is None})
        else:
            rows = self._stepped(sources, every=among is None)
        found: dict[str, set[str]] = {s: set() for s in sources}
        for s, x in zip(rows["s"].astype(str).tolist(), rows["x"].astype(str).tolist(), strict=True):
            found[s].add(x)
        return {s: frozenset(v) for s, v in found.items()}

    def _stepped(self, sources: list[str], *, every: bool) -> Mapping[str, np.ndarray]:
        """The walk one query per step (``reach_seed``, ``reach_hop``, ``reach_grow``), then ``reach_pairs``."""
        b = self._backend
        b._register("reach_from", {"product": _texts(sources)})
        n = b._hold("reach_new", "reach_seed", {})
        b._hold("reach_seen", "reach_start", {})
        steps = 0
        while n:
            n = b._hold("reach_new", "reach_hop", {})  # the next frontier, from the last one
            if n:
                b._hold("reach_seen", "reach_grow", {})
            steps += 1
            if steps > _MAX_STEPS:  # pragma: no cover
                raise RuntimeError("the reachability walk does not end")
        return b._fetch("reach_pairs", {"every": every})
