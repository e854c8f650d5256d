"""Typed tables: what a loaded dataset is.

A :class:`Dataset` holds three pandas tables (enterprises, links, chains) and
the load summary.  Tables are never modified after loading; analyses read
them and build their own frames.

Column contracts
----------------
enterprises
    ``id name zone park city province industry products kind output_value
    employees chain_leader lat lon line`` (text except the numbers and the
    boolean ``chain_leader``; ``line`` is the row's line in the file).
links
    ``supplier_id buyer_id product annual_value annual_volume unit_price
    logistics_cost status via note line value landed vol``: ``value`` is the
    yearly value in yuan (annual_value, or volume × price), ``landed`` the
    unit price plus logistics cost (NaN without a unit price), ``vol`` the
    yearly volume (or value ÷ unit price), ``via`` the intermediaries' ids joined by ``;``
    in route order (empty when direct).
chains
    ``chain product input segment line``, or ``None`` without chains.csv.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chaingraph.errors import Problem

if TYPE_CHECKING:
    from chaingraph.productflow import ProductFlow, Reach

__all__ = ["STATUSES", "Dataset", "DatasetIndex", "FileSummary", "ZoneCodes"]

STATUSES = ("active", "planned", "former")


@dataclass(frozen=True)
class FileSummary:
    """How one file (or worksheet: ``sheet``) loaded: ``rows == loaded + rejected``.

    ``units`` says which columns were read in which unit, from their header
    (``annual_value read in 万元 from header '年采购额(万元)'``).
    """

    file: str
    kind: str
    rows: int
    loaded: int
    rejected: int
    blank_lines: int
    encoding: str
    sheet: str | None = None
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZoneCodes:
    """Zones of one scope as integer codes: a code is a position in :attr:`names` (-1: no zone, an unknown id)."""

    names: pd.Index
    firm: np.ndarray
    supplier: np.ndarray
    buyer: np.ndarray

    def code(self, zone: str) -> int:
        """The code of ``zone`` (-1 when the data has no such zone)."""
        return int(self.names.get_indexer(pd.Index([zone]))[0])


class DatasetIndex:
    """What several analyses (and every zone of ``--all-zones``) derive from one dataset, computed once.

    Each entry is computed the first time it is asked for and kept; the
    dataset itself never changes, so neither do they.  Built by
    :class:`Dataset` itself (``ds.index``); nothing else writes here.
    """

    def __init__(self, ds: Dataset, link_ends: tuple[np.ndarray, np.ndarray] | None = None,
                 flows: Mapping[tuple[str, ...], Reach] | None = None) -> None:  # fmt: skip
        self._ds = ds
        if link_ends is not None and not len(link_ends[0]) == len(link_ends[1]) == len(ds.links):
            raise ValueError(
                f"link ends for {len(link_ends[0])} and {len(link_ends[1])} rows, but there are {len(ds.links)} links"
            )
        self._link_ends = link_ends
        self._zone_codes: dict[str, ZoneCodes] = {}
        self._status: dict[tuple[str, ...], np.ndarray] = {}
        self._flow: dict[tuple[str, ...], Reach] = {}
        self._given_flows = flows  # looked up when first asked for (a lazy mapping stays lazy)
        self._chain_flow: dict[str | None, ProductFlow] = {}

    @cached_property
    def names(self) -> pd.Series:
        """Enterprise id → name."""
        e = self._ds.enterprises
        return pd.Series(e["name"].to_numpy(), index=e["id"].to_numpy())

    @cached_property
    def listed_products(self) -> pd.DataFrame:
        """(id, product) pairs from the enterprises' ``products`` column."""
        from chaingraph.listcells import split_pairs

        return split_pairs(self._ds.enterprises["id"], self._ds.enterprises["products"], name="product")

    def link_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Per link row, the row of its supplier and of its buyer in ``enterprises`` (-1: unknown id)."""
        if self._link_ends is None:
            from chaingraph.lookup import positions_of

            ds = self._ds
            sup, buy = positions_of((ds.links["supplier_id"], ds.links["buyer_id"]), ds.enterprises["id"])
            self._link_ends = (sup, buy)
        return self._link_ends

    def zone_codes(self, scope: str) -> ZoneCodes:
        """The zones of ``scope`` (``zone``, ``city``, ``province``) as codes, per enterprise and per link end."""
        if scope not in self._zone_codes:
            codes, names = pd.factorize(self._ds.enterprises[scope])
            sup, buy = self.link_ends()
            code = np.append(codes, -1)  # index -1 (unknown) picks the -1 appended at the end
            self._zone_codes[scope] = ZoneCodes(pd.Index(names), codes, code[sup], code[buy])
        return self._zone_codes[scope]

    def status_mask(self, statuses: tuple[str, ...]) -> np.ndarray:
        """Link rows whose status is one of ``statuses``."""
        if statuses not in self._status:
            from chaingraph.lookup import isin

            self._status[statuses] = isin(self._ds.links["status"], statuses)
        return self._status[statuses]

    @cached_property
    def chain_stages(self) -> pd.DataFrame:
        """(chain, product) for every product a chain's rows name, as a stage or as an input of one.

        In row order, stages first, then inputs; each pair once.  Empty
        without chains.csv.
        """
        chains = self._ds.chains
        if chains is None:
            return pd.DataFrame({"chain": pd.Series([], dtype=object), "product": pd.Series([], dtype=object)})
        inputs = chains.loc[chains["input"] != "", ["chain", "input"]].rename(columns={"input": "product"})
        return pd.concat([chains[["chain", "product"]], inputs]).drop_duplicates()

    def chain_flow(self, chain: str | None = None) -> ProductFlow:
        """The chain map's own graph (input → product rows), of one chain or (``None``) of all."""
        if chain not in self._chain_flow:
            from chaingraph.productflow import chain_map_flow

            chains = self._ds.chains
            if chains is None:
                chains = pd.DataFrame({"chain": [], "product": [], "input": []}, dtype=object)
            self._chain_flow[chain] = chain_map_flow(chains if chain is None else chains[chains["chain"] == chain])
        return self._chain_flow[chain]

    def flow(self, statuses: tuple[str, ...]) -> Reach:
        """The product flow graph over every link with one of ``statuses`` (and the chain map)."""
        if statuses not in self._flow:
            given = self._given_flows
            self._flow[statuses] = (given[statuses] if given is not None and statuses in given
                                    else self.flow_of(self._ds.links[self.status_mask(statuses)]))  # fmt: skip
        return self._flow[statuses]

    def flow_of(self, links: pd.DataFrame) -> ProductFlow:
        """The product flow graph over ``links`` (some of the dataset's) and the chain map; not kept."""
        from chaingraph.productflow import flow_graph

        return flow_graph(links, self._ds.chains, self.chain_stages["product"])


@dataclass(frozen=True)
class Dataset:
    """The loaded supply data.  Treat the frames as read-only.

    ``link_ends`` may pass what the loader's id check already found (see
    :meth:`DatasetIndex.link_ends`); ``flows`` the product flow graph per
    tuple of statuses when it was computed over more links than these (one
    zone's slice of larger data, :mod:`chaingraph.relational.zone_slice`);
    everything derived lives in ``index``.

    Examples
    --------
    >>> ds = Dataset(pd.DataFrame({"id": ["A"]}), pd.DataFrame({"supplier_id": ["A"], "buyer_id": ["B"]}), None,
    ...              link_ends=(np.array([0]), np.array([-1])))
    >>> ds.index.link_ends()
    (array([0]), array([-1]))
    """

    enterprises: pd.DataFrame
    links: pd.DataFrame
    chains: pd.DataFrame | None
    source: str = ""
    files: tuple[FileSummary, ...] = ()
    rejected: tuple[Problem, ...] = field(default=())
    #: What loaded but deserves a word: unknown columns, normalised ids, title or hidden rows.
    warnings: tuple[Problem, ...] = field(default=())
    link_ends: InitVar[tuple[np.ndarray, np.ndarray] | None] = None
    flows: InitVar[Mapping[tuple[str, ...], Reach] | None] = None
    index: DatasetIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self, link_ends: tuple[np.ndarray, np.ndarray] | None,
                      flows: Mapping[tuple[str, ...], Reach] | None) -> None:  # fmt: skip
        object.__setattr__(self, "index", DatasetIndex(self, link_ends, flows))

    @property
    def names(self) -> pd.Series:
        """Enterprise id → name (:attr:`DatasetIndex.names`)."""
        return self.index.names

    @property
    def listed_products(self) -> pd.DataFrame:
        """(id, product) pairs of the ``products`` column (:attr:`DatasetIndex.listed_products`)."""
        return self.index.listed_products

    def firm_info(self, ids: pd.Series) -> dict[str, tuple[str, str]]:
        """Enterprise id → (name, zone) for the known ones of ``ids``, for building result rows."""
        from chaingraph.lookup import positions

        wanted = pd.Series(pd.unique(ids.to_numpy()), dtype="string")
        at = positions(wanted, self.enterprises["id"])
        known = at >= 0
        e = self.enterprises.iloc[at[known]]
        return dict(zip(wanted[known].tolist(), zip(e["name"].tolist(), e["zone"].tolist(), strict=True), strict=True))
