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

import pandas as pd

from chaingraph.errors import Problem

__all__ = ["STATUSES", "Dataset", "FileSummary"]

STATUSES = ("active", "planned", "former")


@dataclass(frozen=True)
class FileSummary:
    """How one file loaded: ``rows == loaded + rejected``."""

    file: str
    kind: str
    rows: int
    loaded: int
    rejected: int
    blank_lines: int
    encoding: str


@dataclass(frozen=True)
class Dataset:
    """The loaded supply data.  Treat the frames as read-only."""

    enterprises: pd.DataFrame
    links: pd.DataFrame
    chains: pd.DataFrame | None
    source: str = ""
    files: tuple[FileSummary, ...] = ()
    rejected: tuple[Problem, ...] = field(default=())

    @cached_property
    def names(self) -> pd.Series:
        """Enterprise id → name."""
        return pd.Series(self.enterprises["name"].to_numpy(), index=self.enterprises["id"].to_numpy())

    @cached_property
    def listed_products(self) -> pd.DataFrame:
        """(id, product) pairs from the enterprises' ``products`` column."""
        from chaingraph.columns import split_pairs

        return split_pairs(self.enterprises["id"], self.enterprises["products"], name="product")

    def column(self, scope: str) -> pd.Series:
        """The enterprises' ``zone``, ``city`` or ``province`` column."""
        return self.enterprises[scope]
