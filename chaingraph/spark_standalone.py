"""A standalone Spark master and worker on this machine, from pyspark's own jars (127.0.0.1 only).

The same code path as a cluster: a session to ``spark://127.0.0.1:PORT``
ships its tasks to an executor that the worker starts in its own JVM, as a
cluster's workers would.  CI starts one (``.ci/servers``); a team can try
``--master spark://…`` on one machine before their platform's cluster.

``up`` runs pyspark's ``bin/spark-class`` for ``org.apache.spark.deploy.master.Master``
and ``org.apache.spark.deploy.worker.Worker`` in the background (logs and pid
files under ``<state>/spark``, state being ``$CHAINGRAPH_HOME`` or ``~/.chaingraph``),
and waits until the worker has registered with the master; ``down`` stops both.
The daemons' heaps are small (``SPARK_DAEMON_MEMORY``, 256 MB); the worker
offers ``memory`` to executors.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaingraph.errors import BackendError

__all__ = ["DEFAULT_PORT", "DEFAULT_UI_PORT", "ClusterStatus", "down", "spark_home", "status", "up"]

DEFAULT_PORT = 7077
#: The master's web UI (and its JSON at /json/); Spark's own default 8080 is often taken.
DEFAULT_UI_PORT = 18080
HOST = "127.0.0.1"
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"

Say = Callable[[str], None]


@dataclass(frozen=True)
class ClusterStatus:
    """What :func:`status` reports: whether the master runs, its URL, its workers (alive) and cores/memory free."""

    running: bool
    master_url: str
    ui_url: str
    workers: int
    cores: int
    memory_mb: int
    home: Path
    pids: tuple[int, ...] = ()


def _home() -> Path:
    return Path(os.environ.get("CHAINGRAPH_HOME") or Path.home() / ".chaingraph") / "spark"


def spark_home() -> Path:
    """The Spark installation inside the pyspark package (its ``bin/spark-class`` and ``jars/``)."""
    try:
        import pyspark
    except ImportError:
        raise BackendError("a standalone Spark needs pyspark: pip install 'chaingraph[spark]'") from None
    home = Path(pyspark.__file__).parent
    if not (home / "bin" / "spark-class").is_file():  # pragma: no cover (a pyspark without its launcher)
        raise BackendError(f"pyspark at {home} has no bin/spark-class; reinstall pyspark from PyPI.")
    return home


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:  # a zombie (our own child that exited) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def _pids(home: Path) -> dict[str, int]:
    out = {}
    for role in ("master", "worker"):
        f = home / f"{role}.pid"
        if f.is_file():
            try:
                pid = int(f.read_text().strip())
            except ValueError:
                continue
            if _alive(pid):
                out[role] = pid
    return out


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((HOST, port)) == 0


def _master_json(ui_port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{ui_port}/json/", timeout=5) as r:
            return dict(json.loads(r.read().decode()))
    except (OSError, urllib.error.URLError, ValueError):
        return None


def status(*, port: int = DEFAULT_PORT, ui_port: int = DEFAULT_UI_PORT) -> ClusterStatus:
    """The local master's state: running, alive workers, their free cores and memory."""
    home = _home()
    info = _master_json(ui_port) if _port_open(port) else None
    listed: Any = (info or {}).get("workers") or []
    workers = [w for w in listed if isinstance(w, dict) and w.get("state") == "ALIVE"]
    return ClusterStatus(
        running=info is not None,
        master_url=f"spark://{HOST}:{port}",
        ui_url=f"http://{HOST}:{ui_port}",
        workers=len(workers),
        cores=sum(int(w.get("coresfree", 0)) for w in workers),
        memory_mb=sum(int(w.get("memoryfree", 0)) for w in workers),
        home=home,
        pids=tuple(_pids(home).values()),
    )


def up(
    *,
    port: int = DEFAULT_PORT,
    ui_port: int = DEFAULT_UI_PORT,
    cores: int = 2,
    memory: str = "2g",
    timeout: float = 180.0,
    say: Say = lambda m: None,
) -> ClusterStatus:
    """Start a master on 127.0.0.1:``port`` and one worker with ``cores`` and ``memory`` for executors.

    Returns once the worker is registered (alive) with the master.  A master
    already running with a worker is left as it is.

    Raises
    ------
    BackendError
        Java 17/21 or pyspark is missing, a port is taken by something else, or
        the worker did not register within ``timeout`` seconds (the logs are named).
    """
    from chaingraph.spark_session import find_java_home

    st = status(port=port, ui_port=ui_port)
    if st.running and st.workers:
        say(f"Spark master already running at {st.master_url} with {st.workers} worker(s)")
        return st
    home = _home()
    (home / "logs").mkdir(parents=True, exist_ok=True)
    (home / "work").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "JAVA_HOME": find_java_home(),
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": HOST,
        "SPARK_DAEMON_MEMORY": "256m",
        "SPARK_WORKER_DIR": str(home / "work"),
        "SPARK_NO_DAEMONIZE": "1",
    }
    spark_class = str(spark_home() / "bin" / "spark-class")
    pids = _pids(home)
    if not st.running:
        if "master" in pids or _port_open(port):
            raise BackendError(f"port {port} is taken (not by a chaingraph Spark master); pass another port.")
        say(f"starting a Spark master on {HOST}:{port} (logs in {home / 'logs'})")
        _spawn([spark_class, MASTER_CLASS, "--host", HOST, "--port", str(port), "--webui-port", str(ui_port)],
               env, home / "logs" / "master.log", home / "master.pid")  # fmt: skip
        _wait(lambda: _master_json(ui_port) is not None, timeout, home / "logs" / "master.log", "the master to start")
    if "worker" not in pids:
        say(f"starting a Spark worker ({cores} cores, {memory} for executors)")
        _spawn([spark_class, WORKER_CLASS, "--host", HOST, "--cores", str(cores), "--memory", memory,
                "--webui-port", "0", "--work-dir", str(home / "work"), f"spark://{HOST}:{port}"],
               env, home / "logs" / "worker.log", home / "worker.pid")  # fmt: skip
    _wait(lambda: status(port=port, ui_port=ui_port).workers > 0, timeout, home / "logs" / "worker.log",
          "the worker to register")  # fmt: skip
    return status(port=port, ui_port=ui_port)


def _spawn(cmd: list[str], env: dict[str, str], log: Path, pid_file: Path) -> None:
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
    pid_file.write_text(str(proc.pid))


def _wait(ready: Callable[[], bool], timeout: float, log: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(1)
    tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.is_file() else []
    raise BackendError(f"timed out after {timeout:.0f} s waiting for {what}; see {log}:\n  " + "\n  ".join(tail))


def down() -> bool:
    """Stop the worker and the master started by :func:`up`; ``False`` when neither was running."""
    home = _home()
    pids = _pids(home)
    for role in ("worker", "master"):
        pid = pids.get(role)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)  # its own session: spark-class and the JVM it started
            deadline = time.monotonic() + 30
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.3)
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        (home / f"{role}.pid").unlink(missing_ok=True)
    return bool(pids)
