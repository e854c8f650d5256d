"""Shared fixtures: tiny hand-made datasets written as real CSV files."""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import settings

from chaingraph.load import load_dataset
from chaingraph.model import Dataset

# Property tests: 60 random examples a run; in CI a fixed sequence (derandomized), so a red CI
# means the change broke something, not that the dice found an old bug; HYPOTHESIS_PROFILE=deep
# explores 2,000 examples on a developer's machine.
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CHAINGRAPH_REQUIRE_ALL") == "1" else "default")
)

# The validated copies tests make go to a folder of this run (removed at its end), never to the user's cache.
_TEST_CACHE = tempfile.mkdtemp(prefix="chaingraph-test-cache-")
os.environ.setdefault("CHAINGRAPH_CACHE", _TEST_CACHE)
atexit.register(shutil.rmtree, _TEST_CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

E_HEAD = ["id", "name", "zone", "products"]
L_HEAD = [
    "supplier_id",
    "buyer_id",
    "product",
    "annual_value",
    "annual_volume",
    "unit_price",
    "logistics_cost",
    "status",
]


def write_csv(
    path: Path, header: list[str], rows: Iterable[Iterable[object]], *, encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator=newline)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return path


def killed_child(target: Callable[[tuple[str, str]], None], args: tuple[str, str], *, timeout: float = 120) -> None:
    """Run ``target(args)`` in a freshly spawned process that kills itself (SIGKILL) partway; wait for its death."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=target, args=(args,))
    child.start()
    child.join(timeout)
    assert child.exitcode == -9, f"the child was to kill itself, its exit code: {child.exitcode}"


MakeData = Callable[..., Path]


@pytest.fixture
def make_data(tmp_path: Path) -> MakeData:
    """Write enterprises/links(/chains) CSVs into a fresh folder and return it.

    ``enterprises`` rows are (id, name, zone, products); ``links`` rows are
    (supplier, buyer, product, value, volume, price, logistics, status).
    """
    counter = iter(range(1000))

    def make(
        enterprises: list[tuple[object, ...]],
        links: list[tuple[object, ...]],
        chains: list[tuple[object, ...]] | None = None,
        **kw: str,
    ) -> Path:
        folder = tmp_path / f"d{next(counter)}"
        folder.mkdir()
        write_csv(folder / "enterprises.csv", E_HEAD, enterprises, **kw)
        write_csv(folder / "links.csv", L_HEAD, [tuple(r) + ("",) * (len(L_HEAD) - len(r)) for r in links], **kw)
        if chains is not None:
            write_csv(folder / "chains.csv", ["chain", "product", "input"], chains, **kw)
        return folder

    return make


@pytest.fixture
def load() -> Callable[[Path], Dataset]:
    return lambda p: load_dataset(p)


def require(env_var: str, reason: str) -> None:
    """Skip, or fail when CI demands the dependency (CHAINGRAPH_REQUIRE_ALL=1)."""
    if os.environ.get("CHAINGRAPH_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (CHAINGRAPH_REQUIRE_ALL=1 forbids skipping)")
    pytest.skip(reason)


def poppler(tool: str) -> str:
    """``tool`` of poppler-utils (``pdftotext``, ``pdfinfo``), which read back printed pages: a skip without it,
    a failure in CI."""
    if not shutil.which(tool):
        require("CHROMIUM", f"{tool} (poppler-utils) is not installed")
    return tool
