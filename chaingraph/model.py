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

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.errors import Problem

__all__ = ["STATUSES", "Dataset", "FileSummary"]

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
class Dataset:
    """The loaded supply data.  Treat the frames as read-only."""

    enterprises: pd.DataFrame
    links: pd.DataFrame
    chains: pd.DataFrame | None
    source: str = ""
    files: tuple[FileSummary, ...] = ()
    rejected: tuple[Problem, ...] = field(default=())
    #: What loaded but deserves a word: unknown columns, normalised ids, title or hidden rows.
    warnings: tuple[Problem, ...] = field(default=())

    @cached_property
    def names(self) -> pd.Series:
        """Enterprise id → name."""
        return pd.Series(self.enterprises["name"].to_numpy(), index=self.enterprises["id"].to_numpy())

    def firm_info(self, ids: pd.Series) -> dict[str, tuple[str, str]]:
        """Enterprise id → (name, zone) for the known ones of ``ids``, for building result rows."""
        from chaingraph.columns import positions

        wanted = pd.Series(pd.unique(ids.to_numpy()), dtype="string")
        at = positions(wanted, self.enterprises["id"])
        known = at >= 0
        e = self.enterprises.iloc[at[known]]
        return dict(zip(wanted[known].tolist(), zip(e["name"].tolist(), e["zone"].tolist(), strict=True), strict=True))

    @cached_property
    def listed_products(self) -> pd.DataFrame:
        """(id, product) pairs from the enterprises' ``products`` column."""
        from chaingraph.columns import split_pairs

        return split_pairs(self.enterprises["id"], self.enterprises["products"], name="product")

    def column(self, scope: str) -> pd.Series:
        """The enterprises' ``zone``, ``city`` or ``province`` column."""
        return self.enterprises[scope]

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Derived arrays that several analyses (and every zone of ``--all-zones``) share."""
        return {}

    def firm_zone_codes(self, scope: str) -> tuple[pd.Index, np.ndarray]:
        """Zone names and, per enterprise row, its zone's code (an index into the names)."""
        key = ("firm_zone_codes", scope)
        if key not in self.memo:
            codes, names = pd.factorize(self.enterprises[scope])
            self.memo[key] = (pd.Index(names), codes)
        return self.memo[key]

    def link_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Per link row, the row of its supplier and of its buyer in ``enterprises`` (-1: unknown id)."""
        if "link_ends" not in self.memo:
            from chaingraph.columns import positions_of

            sup, buy = positions_of((self.links["supplier_id"], self.links["buyer_id"]), self.enterprises["id"])
            self.memo["link_ends"] = (sup, buy)
        return self.memo["link_ends"]

    def know_link_ends(self, sup: np.ndarray, buy: np.ndarray) -> None:
        """Record :meth:`link_ends` found elsewhere: the loader has them from the id check.

        Examples
        --------
        >>> ds = Dataset(pd.DataFrame({"id": ["A"]}), pd.DataFrame({"supplier_id": ["A"], "buyer_id": ["B"]}), None)
        >>> ds.know_link_ends(np.array([0]), np.array([-1]))
        >>> ds.link_ends()
        (array([0]), array([-1]))
        """
        if not len(sup) == len(buy) == len(self.links):
            raise ValueError(f"link ends for {len(sup)} and {len(buy)} rows, but there are {len(self.links)} links")
        self.memo["link_ends"] = (sup, buy)

    def link_zone_codes(self, scope: str) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """Zone names and, per link row, the supplier's and buyer's zone code (-1: unknown id)."""
        key = ("zone_codes", scope)
        if key not in self.memo:
            names, codes = self.firm_zone_codes(scope)
            sup, buy = self.link_ends()
            code = np.append(codes, -1)  # index -1 (unknown) picks the -1 appended at the end
            self.memo[key] = (names, code[sup], code[buy])
        return self.memo[key]

    def zone_code(self, scope: str, zone: str) -> int:
        """The code of ``zone`` in :meth:`link_zone_codes` (-1 when absent)."""
        names = self.link_zone_codes(scope)[0]
        return int(names.get_indexer(pd.Index([zone]))[0])

    def status_mask(self, statuses: tuple[str, ...]) -> np.ndarray:
        """Link rows whose status is one of ``statuses``."""
        key = ("status", statuses)
        if key not in self.memo:
            from chaingraph.columns import isin

            self.memo[key] = isin(self.links["status"], statuses)
        return self.memo[key]
