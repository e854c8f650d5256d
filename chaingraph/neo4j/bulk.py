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

import pandas as pd

from chaingraph.model import Dataset
from chaingraph.neo4j.load import LoadResult, counts, link_keys

__all__ = ["bulk_load", "flows", "write_import_files"]

Say = Callable[[str], None]
Column = tuple[str, str, pd.Series]  # (header, type, values)


def _cell(kind: str, values: pd.Series) -> Any:
    """One column as CSV cells (a pyarrow string array): strings quoted (so '' stays ''),
    numbers plain, null an empty unquoted cell (no property)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind in ("str", "str[]"):
        arr = pa.array(values, type=pa.string(), from_pandas=True)
        if kind == "str[]":  # ';'-separated cells as the loader splits them: blanks and spaces around ';' go
            arr = pc.utf8_trim(pc.replace_substring_regex(arr, r"\s*[;；][\s;；]*", ";"), ";")
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
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


def _write(path: Path, columns: list[Column]) -> Path:
    import pyarrow.compute as pc

    header = ",".join(f"{name}:{kind}" if kind not in ("str", "") else name for name, kind, _ in columns)
    cells = [_cell("str" if kind == "" or "ID(" in kind else "str[]" if kind == "string[]" else kind, v)
             for _, kind, v in columns]  # fmt: skip
    line = pc.binary_join_element_wise(*cells, ",") if len(cells) > 1 else cells[0]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + "\n")
        if len(line):
            fh.write("\n".join(line.to_pylist()) + "\n")
    return path


def flows(links: pd.DataFrame) -> pd.DataFrame:
    """The FLOWS relationships: P → Q when a firm buys P and sells Q on active or planned links.

    ``planned_only`` when no firm does both on active links, as ``queries/load/flows.cypher``.

    >>> links = pd.DataFrame({"supplier_id": ["a", "b", "b"], "buyer_id": ["b", "c", "d"],
    ...                       "product": ["钢", "箱体", "钢"], "status": ["active", "planned", "active"]})
    >>> flows(links).values.tolist()
    [['钢', '箱体', True]]
    """
    live = links[links["status"].isin(["active", "planned"])]
    act = live["status"] == "active"
    into = pd.DataFrame({"firm": live["buyer_id"], "p": live["product"], "a": act})
    out = pd.DataFrame({"firm": live["supplier_id"], "q": live["product"], "a": act})
    into = into.groupby(["firm", "p"], sort=False)["a"].max().reset_index()
    out = out.groupby(["firm", "q"], sort=False)["a"].max().reset_index()
    pairs = into.merge(out, on="firm", suffixes=("_in", "_out"))
    pairs = pairs[pairs["p"] != pairs["q"]]
    both = (pairs["a_in"] & pairs["a_out"]).rename("both")
    f = pd.concat([pairs[["p", "q"]], both], axis=1).groupby(["p", "q"], sort=True)["both"].max().reset_index()
    return pd.DataFrame({"p": f["p"], "q": f["q"], "planned_only": ~f["both"].astype(bool)}).reset_index(drop=True)


def write_import_files(ds: Dataset, folder: Path) -> list[str]:
    """Write the import CSVs for ``ds`` into ``folder``; return the import tool's file arguments."""
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
    files = {
        "--nodes=Enterprise=": _write(folder / "enterprises.csv", [
            ("id", "ID(Enterprise)", e["id"]), ("name", "", e["name"]), ("zone", "", e["zone"]),
            ("park", "", e["park"]), ("city", "", e["city"]), ("province", "", e["province"]),
            ("industry", "string[]", e["industry"]), ("products", "string[]", e["products"]),
            ("kind", "", e["kind"]), ("output_value", "double", e["output_value"]),
            ("employees", "double", e["employees"]), ("chain_leader", "boolean", e["chain_leader"]),
            ("lat", "double", e["lat"]), ("lon", "double", e["lon"]), ("line", "long", e["line"])]),
        "--nodes=Zone=": _write(folder / "zones.csv", [("name", "ID(Zone)", pd.Series(e["zone"].unique()))]),
        "--nodes=Product=": _write(folder / "products.csv", [("name", "ID(Product)", products)]),
        "--nodes=Chain=": _write(folder / "chains.csv", [("name", "ID(Chain)", pd.Series(chains["chain"].unique()))]),
        "--relationships=IN_ZONE=": _write(folder / "in_zone.csv", [
            ("", "START_ID(Enterprise)", e["id"]), ("", "END_ID(Zone)", e["zone"])]),
        "--relationships=MAKES=": _write(folder / "makes.csv", [
            ("", "START_ID(Enterprise)", makes["id"]), ("", "END_ID(Product)", makes["product"])]),
        "--relationships=SUPPLIES=": _write(folder / "supplies.csv", [
            ("", "START_ID(Enterprise)", links["supplier_id"]), ("", "END_ID(Enterprise)", links["buyer_id"]),
            ("key", "", link_keys(links)), ("product", "", links["product"]), ("value", "double", links["value"]),
            ("volume", "double", links["annual_volume"]), ("unit_price", "double", links["unit_price"]),
            ("logistics_cost", "double", links["logistics_cost"]), ("landed", "double", links["landed"]),
            ("vol", "double", links["vol"]), ("status", "", links["status"]),
            ("via", "string[]", links["via"]), ("note", "", links["note"]),
            ("line", "long", links["line"])]),
        "--relationships=IN_CHAIN=": _write(folder / "in_chain.csv", [
            ("", "START_ID(Product)", in_chain["product"]), ("", "END_ID(Chain)", in_chain["chain"]),
            ("segment", "", in_chain["seg"]), ("listed", "boolean", in_chain["listed"])]),
        "--relationships=FEEDS=": _write(folder / "feeds.csv", [
            ("", "START_ID(Product)", feeds["input"]), ("", "END_ID(Product)", feeds["product"]),
            ("chain", "", feeds["chain"])]),
        "--relationships=FLOWS=": _write(folder / "flows.csv", [
            ("", "START_ID(Product)", flow["p"]), ("", "END_ID(Product)", flow["q"]),
            ("planned_only", "boolean", flow["planned_only"])]),
    }  # fmt: skip
    return [flag + str(path) for flag, path in files.items()]


def bulk_load(ds: Dataset, *, say: Say = lambda _m: None) -> LoadResult:
    """Replace the local server's database with ``ds`` in one offline import, then restart it.

    The server comes back on the ports and heap it was last started with; the
    password and users (the system database) are kept.  Constraints and
    indexes are created after the restart, and waited for.
    """
    from concurrent.futures import ThreadPoolExecutor

    from chaingraph.neo4j import server
    from chaingraph.neo4j.connect import driver, settings
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
        return counts(drv)
    finally:
        drv.close()
