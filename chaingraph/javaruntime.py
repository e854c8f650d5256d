"""Which Java a ``java`` executable is: what Neo4j and Spark each check before they start one.

Neo4j 5 and Spark 4 run on Java 17 or 21 only (docs/cluster.md, README's
"Neo4j" section), so both read the major version the same way, here.
"""

from __future__ import annotations

import re
import subprocess

__all__ = ["java_major"]

_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_major(java: str) -> int | None:
    """The major version of the ``java`` executable at ``java``, ``None`` when it does not run.

    Java 8 and older print ``1.8.0_…``: their major version is the second number.

    Examples
    --------
    >>> java_major("/nonexistent/bin/java") is None
    True
    """
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    m = _VERSION.search(out)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major
