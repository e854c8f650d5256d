"""The DuckDB engine: the shared SQL of :mod:`chaingraph.relational`, run in-process by DuckDB.

DuckDB is an embedded columnar SQL engine: no server, a wheel on PyPI, and
it scans Arrow tables and Parquet files in place, in parallel and spilling
to disk when memory runs short.  :class:`DuckDBBackend` gives it the three
relations of :mod:`chaingraph.model` (the loaded frames as Arrow tables)
and answers closure, savings, gaps and the all-zones summary with the SQL;
every other analysis is computed in memory over one zone's slice
(:mod:`chaingraph.relational.zone_slice`), never over every link.
The figures equal the in-memory engine's to the last bit (exact sums, the
same row builders): tests/test_relational.py compares them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
import pandas as pd

from chaingraph.derived import DerivedTables
from chaingraph.relational import sql
from chaingraph.relational.engine import SqlBackend

if TYPE_CHECKING:
    import duckdb

    from chaingraph.errors import Problem
    from chaingraph.model import Dataset, FileSummary

__all__ = ["MEMORY_ENV", "TEMP_ENV", "DuckDBBackend", "ParquetTables", "spill_config"]

T = TypeVar("T")
#: Over a validated copy, the links with their ends' zones are kept beside the copy (:mod:`chaingraph.derived`),
#: built in one pass from the copy's integer link ends (``link_ends.parquet``: no text join): once grouped by the
#: buyer's zone, once (the links whose supplier is in another zone than the buyer) by the supplier's, so one
#: zone's slice is read from its own row groups.  The whole-data queries (the all-zones summary) read them from the
#: files, DuckDB scanning only the columns each query needs: at 2M and 10M links that is faster than holding them in
#: memory first (the first ``--all-zones`` at 10M: 12.0 s and 0.69 GB against 13.3 s and 2.05 GB).
#: Files per side of those tables: a zone's rows go to file ``code % _ZL_BUCKETS`` (its code in ``zones.json``), in
#: row groups of that zone alone, so the zone's filter skips every other zone's row groups by their statistics.
_ZL_BUCKETS = 64
#: Link rows read per step while building them, and rows of one zone gathered before they are written as a row group.
_ZL_BATCH = 1 << 20
_ZL_ROW_GROUP = 1 << 17

#: The columns of each relation the SQL reads (model.py's contract, plus ``rn``).
LINK_COLUMNS = ["supplier_id", "buyer_id", "product", "status", "value", "landed", "vol"]
FIRM_COLUMNS = ["id", "name", "zone", "city", "province", "industry", "products", "output_value", "employees"]
CHAIN_COLUMNS = ["chain", "product", "input", "segment", "line"]

_SQL_TYPES = {"output_value": "DOUBLE", "employees": "DOUBLE"}
#: The SQL type of a registered column (:meth:`DuckDBBackend._register`) by its NumPy kind: text or whole numbers.
_COLUMN_TYPES = {"O": "VARCHAR", "U": "VARCHAR", "i": "BIGINT", "u": "BIGINT"}

#: The list-cell views (docs/analysis.md, "Loading": cells are stored trimmed, joined by ``;``).
VIEWS = {
    "listed": "SELECT DISTINCT id, product FROM (SELECT id, unnest(string_split(products, ';')) AS product "
              "FROM enterprises WHERE products IS NOT NULL AND products <> '') t",
    "industries": "SELECT id, chain FROM (SELECT id, unnest(string_split(industry, ';')) AS chain "
                  "FROM enterprises WHERE industry IS NOT NULL AND industry <> '') t",
}  # fmt: skip


#: DuckDB's memory limit (``12GB``, ``60%``); past it DuckDB spills to :data:`TEMP_ENV`'s folder.
MEMORY_ENV = "CHAINGRAPH_DUCKDB_MEMORY"
#: The folder DuckDB spills to (default: ``duckdb-tmp`` in the cache folder, :func:`~chaingraph.validated_copy.cache_dir`).
TEMP_ENV = "CHAINGRAPH_DUCKDB_TEMP"
#: The default memory limit: half the machine's memory (DuckDB's own default, 80%, leaves too little for the rest of
#: the process at 100M links: the copy's ids and the results shaped in pandas).
DEFAULT_MEMORY = "50%"


def spill_config(*, threads: int = 2, memory_limit: str | None = None) -> dict[str, Any]:
    """DuckDB's settings: threads, the memory limit and the folder it spills to past it.

    The limit is ``memory_limit``, else ``$CHAINGRAPH_DUCKDB_MEMORY``, else :data:`DEFAULT_MEMORY`; the folder
    ``$CHAINGRAPH_DUCKDB_TEMP``, else ``duckdb-tmp`` in the cache folder (DuckDB removes its files there when
    the connection closes).  A limit as a share of the machine's memory (``50%``) is worked out here.

    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {MEMORY_ENV: "3GB", TEMP_ENV: "/tmp/cg-spill"}):
    ...     spill_config()
    {'threads': 2, 'memory_limit': '3GB', 'temp_directory': '/tmp/cg-spill'}
    """
    import os

    from chaingraph.validated_copy import cache_dir

    limit = memory_limit or os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY
    config: dict[str, Any] = {"threads": threads, "memory_limit": limit}
    if limit.strip().endswith("%"):
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (AttributeError, ValueError, OSError):  # no sysconf (Windows): DuckDB's own default
            del config["memory_limit"]
        else:
            config["memory_limit"] = f"{max(int(total * float(limit.strip()[:-1]) / 100) >> 20, 256)}MB"
    config["temp_directory"] = os.environ.get(TEMP_ENV) or str(cache_dir() / "duckdb-tmp")
    return config


class ParquetTables(Protocol):
    """The tables as Parquet files: what :class:`chaingraph.validated_copy.ValidatedCopy` holds."""

    @property
    def enterprises(self) -> Path: ...
    @property
    def links(self) -> Path: ...
    @property
    def chains(self) -> Path | None: ...
    @property
    def folder(self) -> Path: ...
    @property
    def link_ends(self) -> Path: ...
    @property
    def source(self) -> str: ...
    @property
    def files(self) -> tuple[FileSummary, ...]: ...
    @property
    def rejected(self) -> tuple[Problem, ...]: ...
    def dataset(self) -> Dataset: ...


def _arrow(frame: pd.DataFrame, columns: list[str]) -> Any:
    import pyarrow as pa

    present = [c for c in columns if c in frame.columns]
    out = pa.Table.from_pandas(frame[present], preserve_index=False)
    for c in columns:
        if c not in present:
            out = out.append_column(c, pa.nulls(len(frame), pa.string()))
    return out


class DuckDBBackend(SqlBackend):
    """The :class:`~chaingraph.engine.Backend` interface on DuckDB.

    Parameters
    ----------
    source
        The validated copy of SOURCE (:func:`chaingraph.validated_copy.validated_copy`):
        DuckDB reads its Parquet files in place, so the tables are never held
        in Python; or a loaded :class:`Dataset`, whose frames are handed to
        DuckDB as Arrow tables.
    threads
        DuckDB's worker threads.
    memory_limit
        DuckDB's memory limit (it spills to its temporary folder past it), e.g. ``"4GB"``; by default
        :func:`spill_config`'s.

    Examples
    --------
    >>> from chaingraph.load import load_dataset
    >>> from chaingraph.results.options import Options
    >>> b = DuckDBBackend(load_dataset("data"))
    >>> b.closure(opts=Options(zone="晋城经开区")).local_sourcing_ratio
    0.097278
    """

    kind = "duckdb"
    dialect = "duckdb"
    zone_slices = True
    walks_at_once = True
    embedded = True

    def __init__(self, source: Dataset | ParquetTables, *, threads: int = 2, memory_limit: str | None = None) -> None:
        import duckdb

        from chaingraph.model import Dataset

        self.con: duckdb.DuckDBPyConnection = duckdb.connect(config=spill_config(threads=threads,
                                                                                  memory_limit=memory_limit))  # fmt: skip
        self._dataset: Dataset | None = None
        self.copy: ParquetTables | None = None
        self._derived: DerivedTables | None = None
        self._connection_state(fork=0)
        if isinstance(source, Dataset):
            super().__init__(has_chains=source.chains is not None)
            self._dataset = source
            self._from_frames(source)
        else:
            super().__init__(has_chains=source.chains is not None)
            self.copy = source
            self._derived = DerivedTables(source.folder)
            self._from_parquet(source)
        for name, text in VIEWS.items():
            self.con.execute(f"CREATE VIEW {name} AS {text}")
        if self._derived is not None:  # the listed products, split once per copy instead of in every query
            kept = self._derived.get("listed.parquet", lambda tmp: self.con.execute(
                f"COPY (SELECT id, product FROM listed) TO '{_quoted(tmp)}' (FORMAT parquet)"))  # fmt: skip
            if kept is not None:
                self.con.execute(
                    f"CREATE OR REPLACE VIEW listed AS SELECT id, product FROM read_parquet('{_quoted(kept)}')"
                )

    def _connection_state(self, *, fork: int) -> None:
        """What lives on this engine's connection (DuckDB keeps temporary tables and views per connection)."""
        self._zl: str | None = None  # what `zl` is now: a "view" or a "table"
        self._all: str | None = None  # the scope whose links with their ends' zones are the table `zl_all`
        self._coded: tuple[bool | None, object | None] | None = None  # (planned, landed) coded as reach_n, reach_c
        self._fork = fork  # 0 for the engine made by __init__, k for its k-th fork
        self._forks: list[DuckDBBackend] = []

    def forks(self, n: int) -> tuple[DuckDBBackend, ...]:
        """``n`` engines over this one's database, each on a connection of its own (``cursor``), so that each can
        run a query while another runs Python.

        They read the same tables; the database's threads, memory limit and spill folder are shared, so at most
        two queries take the two cores and the limit holds across them.  Each fork keeps its own temporary tables;
        a zone's makers and purchases and the zone names are computed once for all of them
        (``SqlBackend._shared``).  The forks are kept for the next call (a report asks for every zone) and closed
        by :meth:`close`.
        :func:`chaingraph.engine.analyze` asks closure and gaps on two forks while it asks savings here.

        >>> from chaingraph.load import load_dataset
        >>> from chaingraph.results.options import Options
        >>> b = DuckDBBackend(load_dataset("data"))
        >>> a, _ = b.forks(2)
        >>> a.closure(opts=Options(zone="晋城经开区")).local_sourcing_ratio
        0.097278
        >>> b.forks(1)[0] is a
        True
        >>> b.close()
        """
        if self._fork:
            raise RuntimeError("a fork of a DuckDB engine makes no forks of its own")  # pragma: no cover
        while len(self._forks) < n:
            fork = object.__new__(DuckDBBackend)
            SqlBackend.__init__(fork, has_chains=self.has_chains)
            fork.con = self.con.cursor()
            fork._dataset, fork.copy, fork._derived = self._dataset, self.copy, self._derived
            fork._connection_state(fork=len(self._forks) + 1)
            fork._shared = self._shared  # a zone's makers (all three analyses ask) are computed once for all
            if self.copy is None:  # over frames: the same Arrow tables, registered on the fork's connection
                fork._links, fork._firms, fork._chain_rows = self._links, self._firms, self._chain_rows
                fork._links_all, fork._firms_all = self._links_all, self._firms_all
                fork._register_frames()
            self._forks.append(fork)
        return tuple(self._forks[:n])

    def interrupt(self) -> None:
        """Stop the queries running on the forks now, from another thread (each raises on its own)."""
        for fork in self._forks:
            fork.con.interrupt()

    def _from_frames(self, ds: Dataset) -> None:
        links = ds.links
        self._links = _arrow(links, LINK_COLUMNS).append_column("rn", _int_column(len(links)))
        self._firms = _arrow(ds.enterprises, FIRM_COLUMNS)
        chains = ds.chains if ds.chains is not None else pd.DataFrame(columns=CHAIN_COLUMNS)
        self._chain_rows = _arrow(chains.astype({c: object for c in ("chain", "product", "input", "segment")}),
                                  CHAIN_COLUMNS)  # fmt: skip
        # every column, for one zone's slice (chaingraph.relational.zone_slice)
        self._links_all = _whole(links)
        self._firms_all = _whole(ds.enterprises)
        self._register_frames()

    def _register_frames(self) -> None:
        """The frames' Arrow tables as the relations the queries read (a registered table is seen only by the
        connection it was registered on: each fork registers them again)."""
        for name, table in (("links", self._links), ("enterprises", self._firms), ("chains", self._chain_rows),
                            ("links_all", self._links_all), ("enterprises_all", self._firms_all)):  # fmt: skip
            self.con.register(name, table)

    def _from_parquet(self, copy: ParquetTables) -> None:
        path = _quoted

        cols = ", ".join(LINK_COLUMNS)
        self.con.execute(f"CREATE VIEW links AS SELECT {cols}, file_row_number AS rn "
                         f"FROM read_parquet('{path(copy.links)}', file_row_number = true)")  # fmt: skip
        have = {
            r[0] for r in self.con.execute(f"SELECT name FROM parquet_schema('{path(copy.enterprises)}')").fetchall()
        }
        firm_cols = ", ".join(c if c in have else f"CAST(NULL AS {_SQL_TYPES.get(c, 'VARCHAR')}) AS {c}"
                              for c in FIRM_COLUMNS)  # fmt: skip
        self.con.execute(f"CREATE VIEW enterprises AS SELECT {firm_cols} FROM read_parquet('{path(copy.enterprises)}')")
        for name, file in (("links_all", copy.links), ("enterprises_all", copy.enterprises)):  # every column
            self.con.execute(f"CREATE VIEW {name} AS SELECT * EXCLUDE (file_row_number), file_row_number AS rn "
                             f"FROM read_parquet('{path(file)}', file_row_number = true)")  # fmt: skip
        self.con.execute(f"CREATE VIEW link_ends AS SELECT supplier, buyer FROM read_parquet('{path(copy.link_ends)}')")
        if copy.chains is not None:
            self.con.execute(f"CREATE VIEW chains AS SELECT chain, product, input, segment, line "
                             f"FROM read_parquet('{path(copy.chains)}')")  # fmt: skip
        else:
            self.con.execute("CREATE VIEW chains AS SELECT CAST(NULL AS VARCHAR) AS chain, CAST(NULL AS VARCHAR) AS product, "
                             "CAST(NULL AS VARCHAR) AS input, CAST(NULL AS VARCHAR) AS segment, CAST(NULL AS BIGINT) AS line "
                             "WHERE FALSE")  # fmt: skip

    @property
    def dataset(self) -> Dataset:
        """The data as frames, for the analyses without SQL: read from the copy when first asked for."""
        if self._dataset is None:
            assert self.copy is not None
            self._dataset = self.copy.dataset()
        return self._dataset

    def provenance(self) -> tuple[str, tuple[FileSummary, ...], tuple[Problem, ...]]:
        held = self.copy if self.copy is not None else self._dataset
        assert held is not None
        return held.source, held.files, held.rejected

    def _query(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return self.con.execute(sql(name, dialect="duckdb"), dict(params)).df()

    def _fetch(self, name: str, params: Mapping[str, Any]) -> Mapping[str, np.ndarray]:
        """The rows as NumPy arrays (DuckDB's ``fetchnumpy``: no frame made; a column with NULLs masked)."""
        rows: Mapping[str, Any] = self.con.execute(sql(name, dialect="duckdb"), dict(params)).fetchnumpy()
        return {k: np.asarray(v) if not isinstance(v, np.ndarray) else v for k, v in rows.items()}

    def _set_zl(self, kind: str, text: str, params: Mapping[str, Any]) -> None:
        if self._zl is not None:
            self.con.execute(f"DROP {'VIEW' if self._zl == 'view' else 'TABLE'} zl")
        self.con.execute(f"CREATE TEMP {'VIEW' if kind == 'view' else 'TABLE'} zl AS {text}", dict(params))
        self._zl = kind

    def _zone_links(self, scope: str) -> None:
        kept = self._kept_zone_links(scope)
        if kept is None:
            self._set_zl("view", f"SELECT * FROM {self._zl_all(scope)}", {})
            return
        files = sorted((kept / "by-buyer").glob("*.parquet")) or [kept / "empty.parquet"]
        self._set_zl("view", "SELECT * FROM read_parquet([" + ", ".join(f"'{_quoted(f)}'" for f in files) + "])", {})

    def _zone_slice(self, scope: str, zone: str) -> None:
        kept = self._kept_zone_links(scope)
        if kept is None:
            self._set_zl("table", f"SELECT * FROM {self._zl_all(scope)} WHERE s_zone = $zone OR b_zone = $zone",
                         {"zone": zone})  # fmt: skip
            return
        names = json.loads((kept / "zones.json").read_text(encoding="utf-8"))["zones"]
        parts = []
        if zone in names:
            file = f"{names.index(zone) % _ZL_BUCKETS}.parquet"
            for side, col in (("by-buyer", "b_zone"), ("by-supplier", "s_zone")):  # disjoint: see _write_zone_links
                if (kept / side / file).is_file():
                    parts.append(f"SELECT * FROM read_parquet('{_quoted(kept / side / file)}') "
                                 f"WHERE {col} = '{_text(zone)}'")  # fmt: skip
        # a view over the zone's files: each query reads only its columns of them, as fast as from a table made
        # first (at 2M links making it took 40-60 ms of every command); DDL binds no parameters, hence the text
        self._set_zl("view", " UNION ALL ".join(parts) or f"SELECT * FROM read_parquet('{_quoted(kept / 'empty.parquet')}')",
                     {})  # fmt: skip

    def _zl_all(self, scope: str) -> str:
        """``zone_links.sql`` for ``scope`` as the temporary table ``zl_all`` (one join per scope)."""
        if self._all != scope:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE zl_all AS {sql('zone_links', dialect='duckdb')}",
                             {"scope": scope})  # fmt: skip
            self._all = scope
        return "zl_all"

    def _kept_zone_links(self, scope: str) -> Path | None:
        """The folder of the links with their ends' zones kept beside the copy (built by the first command asking,
        :func:`_write_zone_links`), or ``None`` (no copy, or a cache not writable)."""
        if self._derived is None or self.copy is None:
            return None
        copy = self.copy
        return self._derived.get(f"zl-{scope}", lambda tmp: _write_zone_links(copy, scope, tmp))

    def _kept(self, name: str, compute: Callable[[], T], save: Callable[[T, Path], None],
              load: Callable[[Path], T]) -> T:  # fmt: skip
        d = self._derived
        if d is None:
            return compute()
        if d.has(name):
            return load(d.path(name))
        value = compute()
        d.get(name, lambda tmp: save(value, tmp))
        return value

    def _register(self, name: str, frame: pd.DataFrame | Mapping[str, np.ndarray]) -> None:
        # the relation is a view over `<name>__py` (a frame) or `<name>__rows` (columns), so either replaces the other
        if isinstance(frame, Mapping):
            # columns go in as JSON text: a list or an array handed to DuckDB makes it import pandas
            kinds = {c: _COLUMN_TYPES[np.asarray(v).dtype.kind] for c, v in frame.items()}
            cols = ", ".join(f"unnest(from_json(${c}, '[\"{t}\"]')) AS {c}" for c, t in kinds.items())
            values = {c: json.dumps(np.asarray(v).tolist()) for c, v in frame.items()}
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name}__rows AS SELECT {cols}", values)
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}__rows")
        else:
            self.con.register(f"{name}__py", frame)  # seen by this connection only, as a temporary view is
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}__py")

    def _hold(self, name: str, query: str, params: Mapping[str, Any]) -> int:
        rows = self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql(query, dialect='duckdb')}", dict(params))
        return int(rows.fetchall()[0][0])  # DuckDB answers CREATE TABLE ... AS with the count of its rows

    def _hold_flow(self, planned: bool) -> None:
        """The product flow graph coded (``reach_n``, ``reach_c``: :meth:`_hold_graph`); over a validated copy kept
        beside it (``reach_flow.sql``'s join over every link runs once per copy), read back by later commands."""
        if not self.walks_at_once:  # the per-step walk (Spark's), over reach_flow.sql's text pairs
            super()._hold_flow(planned)
            return
        d = self._derived
        which = "planned" if planned else "active"
        codes, pairs = f"reach-codes-{which}.parquet", f"reach-flow-{which}.parquet"
        kept = {"reach_n": codes, "reach_c": pairs}
        if d is not None and all(d.has(file) for file in kept.values()):
            for name, file in kept.items():
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS "
                                 f"SELECT * FROM read_parquet('{_quoted(d.path(file))}')")  # fmt: skip
        else:
            self._hold("reach_flow", "reach_flow", {"planned": planned})
            self._code("reach_flow")
            if d is not None:
                for name, file in kept.items():
                    d.get(file, self._writer(name))
        self._coded = (planned, None)

    def _writer(self, name: str) -> Callable[[Path], object]:
        """What writes the relation ``name`` as a Parquet file (a derived table kept beside the copy)."""
        return lambda tmp: self.con.execute(f"COPY {name} TO '{_quoted(tmp)}' (FORMAT parquet)")

    def _code(self, pairs: str) -> None:
        """The text pairs of the relation ``pairs`` coded: ``reach_n(product, code)`` (``reach_codes.sql``) and
        ``reach_c(p, q)`` (``reach_coded.sql``)."""
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW reach_text AS SELECT p, q FROM {pairs}")
        self._hold("reach_n", "reach_codes", {})
        self._hold("reach_c", "reach_coded", {})

    def _hold_graph(self, *, up: bool, landed: bool) -> None:
        """``reach_g(a, b)`` over the coded graph (``reach_graph_coded.sql``): the product flow graph, or (``landed``)
        the graph after the what-if landing held as ``reach_landed``, coded first if another graph is coded now."""
        if not self.walks_at_once:
            super()._hold_graph(up=up, landed=landed)
            return
        coded = (self._reach_held, self._reach_landed_by if landed else None)
        if self._coded != coded:
            if landed:
                self._code("reach_landed")
            else:
                self._hold_flow(bool(self._reach_held))
            self._coded = coded
        self._hold("reach_g", "reach_graph_coded", {"up": up})

    def close(self) -> None:
        for fork in self._forks:
            fork.close()
        self._forks = []
        self.con.close()


def _quoted(p: Path) -> str:
    """A file path, quoted as SQL text (DuckDB binds no parameters in DDL)."""
    return _text(str(p))


def _text(value: str) -> str:
    """``value`` inside an SQL string literal (``'…'``): each quote doubled, the one escape SQL text has.

    >>> _text("O'Hare 园区")
    "O''Hare 园区"
    """
    return value.replace("'", "''")


def _whole(frame: pd.DataFrame) -> Any:
    """Every column of ``frame`` as an Arrow table, with its row number ``rn``."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).append_column("rn", _int_column(len(frame)))


def _int_column(n: int) -> Any:
    import pyarrow as pa

    return pa.array(np.arange(n, dtype=np.int64))


def _write_zone_links(copy: ParquetTables, scope: str, folder: Path) -> None:
    """Write into ``folder`` the rows of ``zone_links.sql`` for ``scope``, from the copy's integer link ends.

    Each link's ends are rows of the enterprises (``link_ends.parquet``, -1: no enterprise row), so its
    supplier's and buyer's zones are two array look-ups, not a join of every link on text ids.  ``by-buyer/``
    holds every link, in the file of its buyer's zone (``null.parquet``: no zone); ``by-supplier/`` the links
    whose supplier has a zone other than the buyer's (or the buyer none), in the file of the supplier's zone; so
    the links touching zone Z are its rows of the two, each once.  Rows are in file order within a zone, in row
    groups of that zone alone.  ``zones.json``: the zone of each code (a code picks the file ``code %
    _ZL_BUCKETS``) and the links counted; ``empty.parquet``: the columns, no row.  One piece of links is read
    at a time (the two code arrays, 8 bytes a link, are the rest of the memory).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    column = {"city": "city", "province": "province"}.get(scope, "zone")
    n_firms = pq.ParquetFile(copy.enterprises).metadata.num_rows
    if column in pq.ParquetFile(copy.enterprises).schema_arrow.names:
        values = pq.read_table(copy.enterprises, columns=[column]).column(column).combine_chunks()
    else:
        values = pa.nulls(n_firms, pa.large_string())
    coded = pc.dictionary_encode(values)
    names = coded.dictionary
    code = np.append(pc.fill_null(coded.indices, -1).to_numpy().astype(np.int32), np.int32(-1))  # [-1]: unknown
    ends = pq.ParquetFile(copy.link_ends)
    s_code = code[ends.read(columns=["supplier"]).column(0).to_numpy()]
    b_code = code[ends.read(columns=["buyer"]).column(0).to_numpy()]
    del code, coded, values

    folder.mkdir()
    for side in ("by-buyer", "by-supplier"):
        (folder / side).mkdir()
    few = ["product", "status", "s_zone", "b_zone"]  # dictionary-coded (the ids, one per firm, are not)
    writers: dict[tuple[str, int], Any] = {}
    pending: dict[tuple[str, int], list[Any]] = {}
    rows: dict[tuple[str, int], int] = {}
    schema: Any = None
    pool = ThreadPoolExecutor(max_workers=1)  # Arrow encodes and writes without the GIL, beside the next piece
    writes: list[Future[None]] = []

    def put(file: tuple[str, int], part: Any) -> None:
        if file not in writers:
            name = "null.parquet" if file[1] < 0 else f"{file[1]}.parquet"
            writers[file] = pq.ParquetWriter(folder / file[0] / name, part.schema, compression="snappy",
                                             use_dictionary=few)  # fmt: skip
        writers[file].write_table(part, row_group_size=part.num_rows)

    def write(key: tuple[str, int]) -> None:
        part = pa.concat_tables(pending.pop(key)).combine_chunks()
        rows.pop(key)
        writes.append(pool.submit(put, (key[0], -1 if key[1] < 0 else key[1] % _ZL_BUCKETS), part))
        while len(writes) > 8:  # at most a few row groups wait to be written
            writes.pop(0).result()

    def route(side: str, table: Any, codes: np.ndarray) -> None:
        if not len(codes):
            return
        order = np.argsort(codes, kind="stable")
        ordered, sorted_codes = table.take(pa.array(order)), codes[order]
        cuts = [0, *(np.flatnonzero(np.diff(sorted_codes)) + 1).tolist(), len(codes)]
        for a, b in itertools.pairwise(cuts):
            key = (side, int(sorted_codes[a]))
            pending.setdefault(key, []).append(ordered.slice(a, b - a))
            rows[key] = rows.get(key, 0) + b - a
            if rows[key] >= _ZL_ROW_GROUP:
                write(key)

    def zone_text(codes: np.ndarray) -> Any:
        return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), names)

    links = pq.ParquetFile(copy.links, read_dictionary=["product", "status"])
    offset = 0
    try:
        for batch in links.iter_batches(batch_size=_ZL_BATCH, columns=LINK_COLUMNS):
            n = batch.num_rows
            sc, bc = s_code[offset : offset + n], b_code[offset : offset + n]
            table = pa.Table.from_batches([batch]).select(LINK_COLUMNS)
            table = table.add_column(0, "rn", pa.array(np.arange(offset, offset + n, dtype=np.int64)))
            table = table.append_column("s_zone", zone_text(sc)).append_column("b_zone", zone_text(bc))
            table = table.cast(_unified(table.schema))
            schema = table.schema
            route("by-buyer", table, bc)
            other = (sc >= 0) & (sc != bc)
            route("by-supplier", table.filter(pa.array(other)), sc[other])
            offset += n
        if schema is None:
            schema = pa.schema([("rn", pa.int64()), *((c, links.schema_arrow.field(c).type) for c in LINK_COLUMNS),
                                ("s_zone", names.type), ("b_zone", names.type)])  # fmt: skip
        for key in list(pending):
            write(key)
        for w in writes:
            w.result()
    finally:
        pool.shutdown(wait=True)
        for writer in writers.values():
            writer.close()
    pq.write_table(schema.empty_table(), folder / "empty.parquet")
    (folder / "zones.json").write_text(json.dumps({"zones": names.to_pylist(), "links": offset}, ensure_ascii=False),
                                       encoding="utf-8")  # fmt: skip


def _unified(schema: Any) -> Any:
    """``schema`` with every dictionary column's values as ``large_string`` and indices as ``int32`` (one type for
    every piece, whatever the dictionaries read from each row group)."""
    import pyarrow as pa

    return pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), pa.large_string()))
                      if pa.types.is_dictionary(f.type) else f for f in schema])  # fmt: skip
