"""chaingraph: localized industrial-chain analytics for development-zone promotion teams.

Load a data folder, then ask the analyses::

    >>> import chaingraph
    >>> ds = chaingraph.load_dataset("data")
    >>> len(ds.enterprises) > 0
    True
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Dataset", "__version__", "load_dataset"]


def __getattr__(name: str) -> Any:  # lazy: `chaingraph --help` must not import pandas
    if name == "load_dataset":
        from chaingraph.load import load_dataset

        return load_dataset
    if name == "Dataset":
        from chaingraph.model import Dataset

        return Dataset
    raise AttributeError(name)
