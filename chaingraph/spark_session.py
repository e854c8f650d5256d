"""A SparkSession for chaingraph: local mode or a cluster's ``--master``, sized for a small machine, quiet.

:func:`open_session` starts (or joins) a session for a master URL —
``local[*]`` (the default: Spark inside this process' JVM, every core), or
``spark://host:port`` (a standalone cluster), ``yarn``, ``k8s://…`` — and
:func:`stop_session` stops it.  The command line opens one per command and
stops it when the command ends; a library user does the same (or keeps one
session for many calls).

Java: Spark 4 runs on Java 17 or 21.  ``$JAVA_HOME`` is used when it names
one of those; when it names another Java (a JDK 25 installed beside 17, say)
the session refuses with a message instead of failing deep inside Spark.
Without ``$JAVA_HOME``, the ``java`` on PATH, then ``/usr/lib/jvm/*``, is
taken if it is 17 or 21.

No click here; pyspark is imported only when a session is opened.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from chaingraph.errors import BackendError
from chaingraph.javaruntime import java_major

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = [
    "DEFAULT_MASTER",
    "SUPPORTED_JAVA",
    "find_java_home",
    "is_local_master",
    "open_session",
    "session_config",
    "stop_session",
]

DEFAULT_MASTER = "local[*]"
#: The Java major versions Spark 4 supports.
SUPPORTED_JAVA = (17, 21)
_MASTER = re.compile(r"^(local(\[(\*|\d+)(,\d+)?\])?|spark://[^/\s]+|yarn|k8s://\S+|mesos://\S+)$")
_LOG4J = Path(__file__).with_name("spark_log4j2.properties")


@lru_cache(maxsize=4)
def _find_java_home(java_home: str | None) -> str:
    if java_home:
        major = java_major(str(Path(java_home) / "bin" / "java"))
        if major in SUPPORTED_JAVA:
            return java_home
        others = [str(p.parents[1]) for p in sorted(Path("/usr/lib/jvm").glob("*/bin/java"))
                  if java_major(str(p)) in SUPPORTED_JAVA] if Path("/usr/lib/jvm").is_dir() else []  # fmt: skip
        hint = f" e.g. JAVA_HOME={others[0]}" if others else " (Debian: apt-get install openjdk-17-jre-headless)"
        raise BackendError(
            f"JAVA_HOME is {java_home} (Java {major or 'not found there'}); Spark runs on Java 17 or 21: "
            f"point JAVA_HOME at one of those,{hint}."
        )
    candidates = [shutil.which("java") or ""]
    if Path("/usr/lib/jvm").is_dir():
        candidates += [str(p) for p in sorted(Path("/usr/lib/jvm").glob("*/bin/java"))]
    seen = []
    for java in filter(None, candidates):
        major = java_major(java)
        seen.append(f"{java} ({major})")
        if major in SUPPORTED_JAVA:
            return str(Path(java).resolve().parents[1])
    raise BackendError(
        "Spark needs Java 17 or 21; found " + (", ".join(seen) or "no java")
        + ". Install OpenJDK 17 (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME."
    )  # fmt: skip


def find_java_home() -> str:
    """The Java home Spark runs on: ``$JAVA_HOME`` if it is Java 17 or 21, else the first such Java found.

    Raises :class:`~chaingraph.errors.BackendError` when ``$JAVA_HOME`` names another Java or none is found.
    """
    return _find_java_home(os.environ.get("JAVA_HOME") or None)


def is_local_master(master: str) -> bool:
    """Whether ``master`` runs on this machine: local mode, or a standalone master on the loopback address.

    >>> is_local_master("local[*]"), is_local_master("spark://127.0.0.1:7077"), is_local_master("yarn")
    (True, True, False)
    """
    return master.startswith("local") or bool(re.match(r"^spark://(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$", master))


def session_config(master: str, *, memory: str = "1g", cores: int | None = None) -> dict[str, str]:
    """The Spark settings chaingraph opens a session with.

    Small and quiet by default: the driver's JVM heap is ``memory`` (local
    mode runs the tasks there too), each executor gets the same, shuffles use
    as many partitions as there are cores (Spark's 200 are for big clusters),
    no web UI, no progress bars.  On this machine (a local master) the driver
    binds 127.0.0.1 only, and executors run this Python.  Adaptive query
    execution is left on, so a cluster coalesces and splits shuffles itself.

    Examples
    --------
    >>> c = session_config("spark://127.0.0.1:7077", memory="512m", cores=2)
    >>> c["spark.driver.memory"], c["spark.sql.shuffle.partitions"], c["spark.driver.bindAddress"]
    ('512m', '4', '127.0.0.1')
    >>> "spark.driver.bindAddress" in session_config("yarn")
    False
    """
    if not re.fullmatch(r"\d+[kmgt]?", memory.lower()):
        raise BackendError(f"spark memory {memory!r} is not a size: write digits with k, m or g, e.g. 1g or 512m.")
    n = cores or os.cpu_count() or 2
    conf = {
        "spark.driver.memory": memory,
        "spark.executor.memory": memory,
        "spark.sql.shuffle.partitions": str(max(2, 2 * n)),
        "spark.default.parallelism": str(max(2, 2 * n)),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.adaptive.enabled": "true",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{_LOG4J}",
        "spark.executor.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{_LOG4J}",
    }
    if cores is not None and not master.startswith("local"):
        conf["spark.cores.max"] = str(cores)
    if is_local_master(master):
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
        conf["spark.pyspark.python"] = sys.executable
        conf["spark.pyspark.driver.python"] = sys.executable
    return conf


def open_session(
    master: str = DEFAULT_MASTER,
    *,
    app_name: str = "chaingraph",
    memory: str = "1g",
    cores: int | None = None,
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """Start a SparkSession on ``master`` (or return the one already running in this process).

    Under ``spark-submit`` the session is the submitted application's: its
    master, memory and settings (``--master``, ``--conf``) stand, and ``master``
    and ``memory`` here are not used.

    Parameters
    ----------
    master
        ``local[*]``, ``local[N]``, ``spark://host:port``, ``yarn``, ``k8s://…``.
    app_name
        The application's name in the cluster's UI.
    memory
        Driver and executor JVM heap (``1g``): small, since the machine may be shared.
    cores
        Cores to ask a cluster for (``spark.cores.max``); local mode uses ``master``'s ``[N]``.
    config
        Further Spark settings, applied last (they win).

    Raises
    ------
    BackendError
        pyspark is not installed, Java is not 17 or 21, the master URL is malformed, or
        Spark cannot start or reach the master.
    """
    if not _MASTER.match(master):
        raise BackendError(
            f"master {master!r} is not a Spark master URL: use local[*], local[N], spark://HOST:PORT, yarn or k8s://…"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BackendError(
            "the Spark engine needs pyspark: pip install 'chaingraph[spark]' (or pip install pyspark)"
        ) from None
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit: its JVM, master and settings stand
        builder = SparkSession.builder.appName(app_name)
        for key, value in {"spark.sql.session.timeZone": "UTC", **(config or {})}.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        return spark
    os.environ["JAVA_HOME"] = find_java_home()
    if is_local_master(master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**session_config(master, memory=memory, cores=cores), **(config or {})}.items():
        builder = builder.config(key, value)
    try:
        with warnings.catch_warnings():  # pyspark warns that pandas 3 is new to it; chaingraph uses no pandas-on-Spark
            warnings.filterwarnings(
                "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
            )
            spark = builder.getOrCreate()
    except Exception as err:  # py4j/JVM start-up errors carry no common base class
        raise BackendError(f"Spark could not start on {master}: {_first_line(err)}") from None
    spark.sparkContext.setLogLevel("ERROR")
    if not master.startswith("local"):
        _check_executors(spark, master)
    return spark


def _check_executors(spark: SparkSession, master: str) -> None:
    """Fail fast when a cluster master takes the application but gives it no executor within a minute."""
    import time

    sc = spark.sparkContext
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sc._jsc is not None and sc._jsc.sc().getExecutorIds().size() > 0:
            return
        time.sleep(0.5)
    spark.stop()
    raise BackendError(
        f"the Spark master {master} gave chaingraph no executor within 60 s: is a worker registered, "
        "with enough free memory and cores for spark.executor.memory?"
    )


def stop_session(spark: SparkSession | None) -> None:
    """Stop ``spark`` (the JVM stays up for a later session in this process); ``None`` is a no-op."""
    if spark is not None:
        spark.stop()


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
