"""The per-zone context every in-memory analysis starts from, built once per zone and options.

A :class:`ZoneContext` holds zone Z of one dataset under one set of
:class:`~chaingraph.results.options.Options`: its members, the links it
considers (active, or active and planned, with the supplier or the buyer in
Z), its makers, and the dataset-wide product flow graph and zone codes from
the dataset's :class:`~chaingraph.model.DatasetIndex`.  ``closure``,
``savings``, ``gaps`` and the rest take it, so one command (``analyze``,
``gaps --rank``, ``whatif``) derives each of these once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from chaingraph.errors import UnknownZoneError, closest_names
from chaingraph.listcells import split_pairs
from chaingraph.lookup import isin
from chaingraph.model import Dataset, ZoneCodes
from chaingraph.productflow import Reach
from chaingraph.results.money import money_sum_groups
from chaingraph.results.options import Options

if TYPE_CHECKING:
    from chaingraph.analysis.invite import Tracer

__all__ = ["ZoneContext", "weighted_landed", "zone_members", "zone_of"]


def zone_members(ds: Dataset, opts: Options) -> pd.Index:
    """Ids of the enterprises in Z; :class:`UnknownZoneError` when Z is absent."""
    col = ds.enterprises[opts.scope]
    mask = (col == opts.zone).to_numpy()
    if not mask.any():
        names = sorted({str(v) for v in col.unique() if str(v)})
        raise UnknownZoneError(opts.zone, scope=opts.scope, candidates=closest_names(opts.zone, names))
    return pd.Index(ds.enterprises["id"].to_numpy()[mask])


@dataclass(frozen=True)
class ZoneContext:
    """Zone ``opts.zone`` of ``dataset``: what every analysis of it shares.

    Build it with :meth:`of` (or :func:`zone_of`); the derived parts below
    are computed when first asked for and kept.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> z = ZoneContext.of(load_dataset("data"), Options(zone="晋城经开区"))
    >>> "JC-JG" in z.members, bool(z.links["b_in"].any())
    (True, True)
    """

    dataset: Dataset
    opts: Options
    members: pd.Index

    @classmethod
    def of(cls, ds: Dataset, opts: Options) -> ZoneContext:
        """The context of ``opts.zone``; :class:`UnknownZoneError` when the data has no such zone."""
        return cls(ds, opts, zone_members(ds, opts))

    @property
    def codes(self) -> ZoneCodes:
        """The dataset's zones of ``opts.scope`` as codes."""
        return self.dataset.index.zone_codes(self.opts.scope)

    @cached_property
    def code(self) -> int:
        """Z's code in :attr:`codes`."""
        return self.codes.code(self.opts.zone)

    @cached_property
    def links(self) -> pd.DataFrame:
        """The active (and with ``include_planned`` planned) links that touch Z, flagged ``s_in``/``b_in``.

        Only links with the supplier or the buyer in Z: every per-zone figure
        is computed from them.  Membership is read from the dataset's integer
        zone codes, so asking about many zones costs one pass over the links each.
        """
        ds, loc = self.dataset, self.code
        s_in = self.codes.supplier == loc
        b_in = self.codes.buyer == loc
        rows = np.flatnonzero(ds.index.status_mask(self.opts.statuses) & (s_in | b_in))
        return ds.links.iloc[rows].assign(s_in=s_in[rows], b_in=b_in[rows])

    @cached_property
    def makers(self) -> pd.DataFrame:
        """(product, maker) for makers in Z: listed products plus products sold on :attr:`links`.

        Sorted by product, then the maker's value sold of the product (largest
        first), then id; column ``sold`` is that value.
        """
        ent, act = self.dataset.enterprises, self.links
        own = isin(ent["id"], self.members)  # split only the zone's product lists, not every firm's
        listed = split_pairs(ent["id"][own], ent["products"][own], name="product")
        listed = listed.rename(columns={"id": "maker"}).assign(sold=0.0)
        sold = (
            money_sum_groups(act[act["s_in"]], ["product", "supplier_id"], ["value"])
            .reset_index()
            .rename(columns={"supplier_id": "maker", "value": "sold"})
        )
        both = pd.concat([listed[["product", "maker", "sold"]], sold], ignore_index=True)
        both = money_sum_groups(both, ["product", "maker"], ["sold"]).reset_index()
        return both.sort_values(["product", "sold", "maker"], ascending=[True, False, True], kind="stable").reset_index(
            drop=True
        )

    @cached_property
    def made(self) -> frozenset[str]:
        """The products some firm of Z makes."""
        return frozenset(self.makers["product"].tolist())

    @property
    def flow(self) -> Reach:
        """The product flow graph over every considered-status link of the dataset, plus the chain map."""
        return self.dataset.index.flow(self.opts.statuses)

    @cached_property
    def tracer(self) -> Tracer:
        """The makers behind the zone's outside suppliers (:class:`~chaingraph.analysis.invite.Tracer`), built once:
        the ranked list and the panorama of one report share it."""
        from chaingraph.analysis.invite import Tracer

        return Tracer(self.dataset, self.opts)

    def landed(self, ds: Dataset) -> ZoneContext:
        """The same zone and options over ``ds``, the data after a what-if landing (:func:`~chaingraph.analysis.whatif.whatif`).

        A context over one zone's slice (:mod:`chaingraph.relational.zone_slice`) gives the product
        flow graph of the whole data after the landing too.
        """
        return ZoneContext.of(ds, self.opts)

    @cached_property
    def member_names(self) -> pd.Series:
        """Id → name for the firms of Z only (not a Series over every firm)."""
        mask = (self.dataset.enterprises[self.opts.scope] == self.opts.zone).to_numpy()
        ent = self.dataset.enterprises
        return pd.Series(ent["name"].to_numpy(dtype=object)[mask], index=ent["id"].to_numpy(dtype=object)[mask])


def zone_of(data: Dataset | ZoneContext, opts: Options | None) -> ZoneContext:
    """``data`` itself when it is a context already, else the context of ``opts.zone`` in the dataset ``data``."""
    if isinstance(data, ZoneContext):
        if opts is not None and opts != data.opts:
            raise ValueError(f"a context of {data.opts} was given with other options, {opts}")
        return data
    if opts is None:
        raise TypeError("a Dataset needs opts= (or pass a ZoneContext)")
    return ZoneContext.of(data, opts)


def weighted_landed(links: pd.DataFrame, by: list[str]) -> pd.Series:
    """Value-weighted mean landed cost per group: exact Σ value × landed over exact Σ value.

    Where a group's values sum to 0 the plain mean is used instead (exact Σ
    landed over the count).  ``links`` has no missing ``landed``.
    """
    frame = links.assign(_w=links["value"] * links["landed"], _n=1.0)
    g = money_sum_groups(frame, by, ["_w", "value", "landed", "_n"])
    return (g["_w"] / g["value"]).where(g["value"] > 0, g["landed"] / g["_n"])
