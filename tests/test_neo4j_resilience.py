"""The local Neo4j server: killed mid-load, restarted, loaded again with exact counts; loopback only; no secrets in logs."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from chaingraph.errors import BackendError
from chaingraph.load import load_dataset
from chaingraph.neo4j import server
from chaingraph.neo4j.connect import driver, settings, state_dir
from chaingraph.neo4j.load import load
from chaingraph.synth import SynthSpec, write_synth
from tests.conftest import require

pytestmark = pytest.mark.neo4j


@pytest.fixture
def local_server() -> server.ServerStatus:
    st = server.status()
    if not st.running or os.environ.get("NEO4J_URI"):
        require("NEO4J", "needs the local server of `chaingraph neo4j up`")
    return st


def _listeners(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                found.add(addr)
    return found


def test_binds_loopback_only(local_server: server.ServerStatus) -> None:
    for port in (7687, 7474):
        addrs = _listeners(port)
        assert addrs, port
        loopback = {"0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"}
        assert addrs <= loopback, (port, addrs)  # 127.0.0.1, ::1, ::ffff:127.0.0.1


def test_password_never_in_logs(local_server: server.ServerStatus) -> None:
    password = settings().password
    logs = state_dir() / "neo4j" / "logs"
    for f in logs.rglob("*"):
        if f.is_file():
            assert password not in f.read_text(encoding="utf-8", errors="replace"), f
    stored = state_dir() / "neo4j" / "password"
    assert stored.stat().st_mode & 0o777 == 0o600


def test_killed_mid_load_then_resumed_exactly(local_server: server.ServerStatus, tmp_path: Path) -> None:
    ds = load_dataset(write_synth(SynthSpec(links=30_000, zones=3, seed=21), tmp_path / "syn"))
    drv = driver(settings())
    load(ds, drv, replace=True, batch=5000)  # clean slate, then a second, interrupted load
    with drv.session() as s:
        s.run("MATCH ()-[r:SUPPLIES]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS").consume()
    errors: list[Exception] = []
    progress: list[int] = []

    def run() -> None:
        try:
            load(
                ds,
                drv,
                batch=500,
                progress=lambda step, done, total: progress.append(done) if step == "links" else None,
            )
        except BackendError as err:
            errors.append(err)

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 120
    while len(progress) < 6 and time.monotonic() < deadline and t.is_alive():
        time.sleep(0.05)
    assert local_server.pid is not None
    os.kill(server.status().pid or local_server.pid, signal.SIGKILL)  # the server dies mid-load
    t.join(timeout=120)
    drv.close()
    assert errors, "the interrupted load must fail loudly"
    message = str(errors[0])
    assert "failed at rows" in message and "CSV lines" in message and "run the load again to resume" in message
    server.down()  # clears the stale pid file
    server.up()
    drv = driver(settings())
    result = load(ds, drv, batch=5000)  # resume: no --replace
    drv.close()
    assert result.relationships["SUPPLIES"] == len(ds.links)
    assert result.nodes["Enterprise"] == len(ds.enterprises)
