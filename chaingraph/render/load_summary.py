"""Machine-readable load summary (``chaingraph validate --format json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from chaingraph.results.money import money_sum

if TYPE_CHECKING:
    from chaingraph.model import Dataset

__all__ = ["SUMMARY_COLUMNS", "load_summary"]

#: The columns :func:`load_summary` (and ``validate``'s table) read, by table.
SUMMARY_COLUMNS = {"enterprises": ["id", "zone", "products"], "links": ["product", "status", "value"]}


def load_summary(ds: Dataset) -> dict[str, Any]:
    """Files (rows = loaded + rejected), zones, statuses, products, totals, problems."""
    links = ds.links
    return {
        "source": ds.source,
        "files": [
            {
                "file": f.file,
                "kind": f.kind,
                "rows": f.rows,
                "loaded": f.loaded,
                "rejected": f.rejected,
                "blank_lines": f.blank_lines,
                "encoding": f.encoding,
                "sheet": f.sheet,
                "units": list(f.units),
            }
            for f in ds.files
        ],
        "enterprises_per_zone": {
            str(k): int(v)
            for k, v in sorted(ds.enterprises["zone"].value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
        },
        "links_per_status": {s: int((links["status"] == s).sum()) for s in ("active", "planned", "former")},
        "value_per_status": {
            s: money_sum(links.loc[links["status"] == s, "value"]) for s in ("active", "planned", "former")
        },
        "products": int(pd.concat([links["product"], ds.listed_products["product"]], ignore_index=True).nunique()),
        "total_value": money_sum(links["value"]),
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "value": p.value, "problem": p.message, "hint": p.hint}
            | ({"sheet": p.sheet} if p.sheet is not None else {})
            for p in ds.rejected
        ],
        "warnings": [
            {
                "file": p.file,
                "sheet": p.sheet,
                "line": p.line,
                "column": p.column,
                "value": p.value,
                "warning": p.message,
                "hint": p.hint,
            }
            for p in ds.warnings
        ],
    }
