"""``report.pdf``: report.html printed on A4 by a headless Chromium, when one is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from chaingraph.errors import ChaingraphError

__all__ = ["find_chromium", "print_pdf"]

#: Where a Chromium is looked for, after ``CHAINGRAPH_CHROMIUM``.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge")


def find_chromium() -> str | None:
    """The Chromium to print with: ``CHAINGRAPH_CHROMIUM``, else the first of :data:`CANDIDATES` on PATH."""
    given = os.environ.get("CHAINGRAPH_CHROMIUM")
    if given:
        return given if (os.path.exists(given) or shutil.which(given)) else None
    return next((p for p in (shutil.which(c) for c in CANDIDATES) if p), None)


def print_pdf(html: str | Path, pdf: str | Path, *, timeout: float = 120.0) -> Path:
    """Print ``html`` to ``pdf`` (A4, the page's own print CSS, no browser header or footer)."""
    exe = find_chromium()
    if exe is None:
        raise ChaingraphError(
            "a PDF needs Chromium (or Chrome), and none was found: install it (Debian: apt-get install chromium) "
            "or name it in CHAINGRAPH_CHROMIUM."
        )
    out = Path(pdf).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chaingraph-pdf-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", Path(html).resolve().as_uri()]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ChaingraphError(f"printing the PDF with {exe} failed: {err}") from None
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ChaingraphError(f"printing the PDF with {exe} failed (exit {done.returncode}): " + " / ".join(tail))
    return out
