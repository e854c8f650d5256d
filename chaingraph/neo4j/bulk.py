"""A first load in one offline import: ``neo4j-admin database import full`` on the local server.

The transactional loader (:mod:`chaingraph.neo4j.load`) is bound by the
server's two cores at about 12k links a second.  For a first load, or a
``--replace`` of everything, the import tool writes the store files directly:
the same graph model (every node, relationship and property the loader
writes, FLOWS derived here with pandas as ``queries/load/flows.cypher``
derives it), in CSV files under the server's import folder.  The local
server is stopped for the import and started again; constraints and indexes
are created afterwards.  Only for the server ``chaingraph neo4j up`` runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chaingraph.listcells import stored_lists
from chaingraph.model import Dataset
from chaingraph.neo4j.load import LoadResult, counts, link_keys
from chaingraph.productflow import turns

__all__ = ["bulk_load", "flows", "write_import_files"]

Say = Callable[[str], None]
Column = tuple[str, str, pd.Series]  # (header, type, values)


def _cell(kind: str, values: pd.Series) -> Any:
    """One column as CSV cells (a pyarrow string array): strings quoted (so '' stays ''),
    numbers plain, null an empty unquoted cell (no property)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind in ("str", "str[]"):
        # a list cell as the loader normalises it (chaingraph.listcells), an empty one no property
        arr = stored_lists(values) if kind == "str[]" else pa.array(values, type=pa.string(), from_pandas=True)
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
        return pc.fill_null(quoted, "")
    if kind == "double":
        arr = pa.array(values.to_numpy(dtype="float64"), type=pa.float64())
        return pc.fill_null(pc.if_else(pc.is_nan(arr), pa.scalar(None, pa.string()), pc.cast(arr, pa.string())), "")
    if kind == "long":
        return pc.cast(pa.array(values.to_numpy(dtype="int64")), pa.string())
    if kind == "boolean":  # True, False, or None (no property)
        arr = pa.array(values.astype(object).where(values.notna(), None), type=pa.bool_(), from_pandas=True)
        return pc.fill_null(pc.if_else(arr, "true", "false"), "")
    raise ValueError(kind)


def _ids(values: pd.Series, keys: pd.Series) -> pd.Series:
    """Each value's row in ``keys``, the integer import id of that node."""
    from chaingraph.lookup import positions

    return _known(positions(values.astype("str"), keys.astype("str")))


def _known(at: np.ndarray) -> pd.Series:
    """Node rows as import ids; every one must be found (-1: an id without its node)."""
    if (at < 0).any():  # pragma: no cover (validated data names only known ids)
        raise ValueError("an id without its node")
    return pd.Series(at, dtype="int64")


def _rows(keys: pd.Series) -> pd.Series:
    """A node file's own import ids: its row numbers."""
    return pd.Series(np.arange(len(keys), dtype=np.int64))


def _write(path: Path, columns: list[Column]) -> bool:
    """Write one import CSV; whether any cell holds a line break (the import then reads multi-line fields)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = ",".join(f"{name}:{kind}" if kind else name for name, kind, _ in columns)
    cells = [_cell("long" if "ID(" in kind else "str" if kind == "" else "str[]" if kind == "string[]" else kind, v)
             for _, kind, v in columns]  # fmt: skip
    cells = [pc.cast(c, pa.large_string()) for c in cells]  # one file may pass 2 GB
    ls = pa.large_string()
    lines = pc.binary_join_element_wise(
        *cells, pa.scalar("", ls), pa.scalar(",", ls)
    )  # each row followed by ",": swapped for "\n" below
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    multiline = bool(len(lines)) and bool(pc.any(pc.match_substring_regex(lines, "[\r\n]")).as_py())
    with path.open("wb") as fh:
        fh.write(header.encode("utf-8") + b"\n")
        if len(lines):
            # The string array's data buffer is every row back to back: write it as it lies, with the
            # trailing "," of each row (at offsets[i+1] - 1) turned into the line end.
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
            data = np.frombuffer(lines.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].copy()
            data[offsets[1:] - offsets[0] - 1] = ord("\n")
            fh.write(data.tobytes())
    return multiline


def flows(links: pd.DataFrame) -> pd.DataFrame:
    """The FLOWS relationships: P → Q when a firm buys P and sells Q on active or planned links.

    ``planned_only`` when no firm does both on active links, as ``queries/load/flows.cypher``.

    >>> links = pd.DataFrame({"supplier_id": ["a", "b", "b"], "buyer_id": ["b", "c", "d"],
    ...                       "product": ["钢", "箱体", "钢"], "status": ["active", "planned", "active"]})
    >>> flows(links).values.tolist()
    [['钢', '箱体', True]]
    """
    live = links[links["status"].isin(["active", "planned"])]
    every = turns(live)
    active = turns(live[live["status"] == "active"]).assign(active=True)
    both = every.merge(active, on=["p", "q"], how="left")["active"].fillna(False).astype(bool)
    return pd.DataFrame({"p": every["p"], "q": every["q"], "planned_only": ~both}).reset_index(drop=True)


def write_import_files(ds: Dataset, folder: Path) -> list[str]:
    """Write the import CSVs for ``ds`` into ``folder``; return the import tool's arguments.

    ``--multiline-fields=true`` is among them only when some cell holds a line
    break: it makes the tool read each file in one thread (about a quarter
    slower at a million links).
    """
    folder.mkdir(parents=True, exist_ok=True)
    e, links = ds.enterprises, ds.links
    makes = ds.listed_products
    chains = ds.chains if ds.chains is not None else pd.DataFrame(columns=["chain", "product", "input", "segment"])
    chains = chains.astype({"chain": "str", "product": "str", "input": "str", "segment": "str"})
    products = pd.concat([links["product"], makes["product"], chains["product"],
                          chains.loc[chains["input"] != "", "input"]], ignore_index=True).astype("str").drop_duplicates()  # fmt: skip
    # IN_CHAIN: stage rows (listed, last non-empty segment wins, as the loader's SET does) and inputs
    stage = chains.assign(seg=chains["segment"].where(chains["segment"] != ""))
    stage = stage.groupby(["product", "chain"], sort=True)["seg"].last().reset_index()  # last non-null
    inputs = chains.loc[chains["input"] != "", ["input", "chain"]].drop_duplicates()
    inputs = inputs.rename(columns={"input": "product"}).merge(stage[["product", "chain"]], how="left", indicator=True)
    inputs = inputs[inputs["_merge"] == "left_only"][["product", "chain"]]
    in_chain = pd.concat([stage.assign(listed=True), inputs.assign(seg=None, listed=None)], ignore_index=True)
    feeds = chains.loc[chains["input"] != "", ["input", "product", "chain"]].drop_duplicates()
    flow = flows(links)
    # Nodes get integer import ids (their row numbers; --id-type=integer): the tool maps them without
    # a string table.  The ids users see are stored as ordinary properties.
    zones = pd.Series(e["zone"].unique(), dtype="str")
    chain_names = pd.Series(chains["chain"].unique(), dtype="str")
    ent = lambda v: _ids(v, e["id"])  # noqa: E731
    prod = lambda v: _ids(v, products)  # noqa: E731
    ent_rows = _rows(e["id"])
    sup_rows, buy_rows = ds.index.link_ends()  # the loader's id check found them: no second lookup of every link
    files: dict[str, tuple[str, list[Column]]] = {
        "--nodes=Enterprise=": ("enterprises.csv", [
            ("", "ID(Enterprise)", ent_rows), ("id", "", e["id"]), ("name", "", e["name"]),
            ("zone", "", e["zone"]), ("park", "", e["park"]), ("city", "", e["city"]),
            ("province", "", e["province"]), ("industry", "string[]", e["industry"]),
            ("products", "string[]", e["products"]), ("kind", "", e["kind"]),
            ("output_value", "double", e["output_value"]), ("employees", "double", e["employees"]),
            ("chain_leader", "boolean", e["chain_leader"]), ("lat", "double", e["lat"]), ("lon", "double", e["lon"]),
            ("line", "long", e["line"])]),
        "--nodes=Zone=": ("zones.csv", [("", "ID(Zone)", _rows(zones)), ("name", "", zones)]),
        "--nodes=Product=": ("products.csv", [("", "ID(Product)", _rows(products)), ("name", "", products)]),
        "--nodes=Chain=": ("chains.csv", [("", "ID(Chain)", _rows(chain_names)),
                                          ("name", "", chain_names)]),
        "--relationships=IN_ZONE=": ("in_zone.csv", [
            ("", "START_ID(Enterprise)", ent_rows), ("", "END_ID(Zone)", _ids(e["zone"], zones))]),
        "--relationships=MAKES=": ("makes.csv", [
            ("", "START_ID(Enterprise)", ent(makes["id"])), ("", "END_ID(Product)", prod(makes["product"]))]),
        "--relationships=SUPPLIES=": ("supplies.csv", [
            ("", "START_ID(Enterprise)", _known(sup_rows)), ("", "END_ID(Enterprise)", _known(buy_rows)),
            ("key", "", link_keys(links)), ("product", "", links["product"]), ("value", "double", links["value"]),
            ("volume", "double", links["annual_volume"]), ("unit_price", "double", links["unit_price"]),
            ("logistics_cost", "double", links["logistics_cost"]), ("landed", "double", links["landed"]),
            ("vol", "double", links["vol"]), ("status", "", links["status"]),
            ("via", "string[]", links["via"]), ("note", "", links["note"]),
            ("line", "long", links["line"])]),
        "--relationships=IN_CHAIN=": ("in_chain.csv", [
            ("", "START_ID(Product)", prod(in_chain["product"])), ("", "END_ID(Chain)", _ids(in_chain["chain"], chain_names)),
            ("segment", "", in_chain["seg"]), ("listed", "boolean", in_chain["listed"])]),
        "--relationships=FEEDS=": ("feeds.csv", [
            ("", "START_ID(Product)", prod(feeds["input"])), ("", "END_ID(Product)", prod(feeds["product"])),
            ("chain", "", feeds["chain"])]),
        "--relationships=FLOWS=": ("flows.csv", [
            ("", "START_ID(Product)", prod(flow["p"])), ("", "END_ID(Product)", prod(flow["q"])),
            ("planned_only", "boolean", flow["planned_only"])]),
    }  # fmt: skip
    multiline = False
    for name, columns in files.values():
        multiline = _write(folder / name, columns) or multiline
    args = ["--id-type=integer", *(flag + str(folder / name) for flag, (name, _) in files.items())]
    return [*args, "--multiline-fields=true"] if multiline else args


def bulk_load(ds: Dataset, *, say: Say = lambda _m: None) -> LoadResult:
    """Replace the local server's database with ``ds`` in one offline import, then restart it.

    The server comes back on the ports and heap it was last started with; the
    password and users (the system database) are kept.  Constraints and
    indexes are created after the restart, and waited for.
    """
    from concurrent.futures import ThreadPoolExecutor

    from chaingraph.neo4j import server
    from chaingraph.neo4j.connect import driver, settings
    from chaingraph.neo4j.downstream import write_downstream
    from chaingraph.neo4j.queries import statements

    server.require_installed()  # before writing files the size of the input
    say("stopping the local Neo4j and writing import files…")
    with ThreadPoolExecutor(max_workers=1) as pool:  # the server shuts down while the files are written
        stopping = pool.submit(server.down)
        files = write_import_files(ds, server.import_dir())
        stopping.result()
    say("importing (neo4j-admin database import)…")
    say(server.import_database(files, say=say))
    bolt_port, http_port, heap = server.configured()
    server.up(bolt_port=bolt_port, http_port=http_port, heap=heap, say=say)
    drv = driver(settings(f"bolt://127.0.0.1:{bolt_port}"))
    try:
        say("creating constraints and indexes…")
        for stmt in statements("load/constraints"):
            drv.execute_query(stmt)
        drv.execute_query("CALL db.awaitIndexes(600)")
        say("writing the downstream lists…")
        write_downstream(drv)
        return counts(drv)
    finally:
        drv.close()
