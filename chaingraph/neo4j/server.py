"""A local Neo4j Community server, assembled from Maven Central.

The first ``up`` resolves ``org.neo4j:neo4j`` and ``org.neo4j.client:neo4j-browser``
(see the packaged ``pom.xml``) with Maven into ``<state>/neo4j/lib``; later
starts reuse the jars.  The server binds 127.0.0.1 only, with auth on and the
password from NEO4J_PASSWORD or a generated one stored with mode 0600.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chaingraph.errors import BackendError, ChaingraphError, param
from chaingraph.javaruntime import java_major
from chaingraph.neo4j.connect import state_dir

__all__ = [
    "NEO4J_VERSION",
    "ServerStatus",
    "configured",
    "down",
    "find_java",
    "import_database",
    "import_dir",
    "require_installed",
    "status",
    "up",
]

NEO4J_VERSION = "5.26.30"
SUPPORTED_JAVA = (17, 21)
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
# The JVM flags Neo4j's own neo4j.conf sets (server.jvm.additional), for Java 17.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]

Say = Callable[[str], None]


@dataclass(frozen=True)
class ServerStatus:
    """What ``status`` reports."""

    running: bool
    pid: int | None
    bolt_uri: str
    browser_url: str
    home: Path
    version: str | None = None


def _home() -> Path:
    return state_dir() / "neo4j"


def find_java() -> str:
    """A Java 17 or 21 executable: $JAVA_HOME, then PATH, then /usr/lib/jvm."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    if shutil.which("java"):
        candidates.append(str(shutil.which("java")))
    candidates += (
        sorted(str(p) for p in Path("/usr/lib/jvm").glob("*/bin/java")) if Path("/usr/lib/jvm").is_dir() else []
    )
    seen = []
    for java in candidates:
        major = java_major(java)
        seen.append(f"{java} ({major})")
        if major in SUPPORTED_JAVA:
            return java
    raise BackendError(
        "Neo4j 5 needs Java 17 or 21; found "
        + (", ".join(seen) or "no java")
        + ". Install OpenJDK 17 (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME."
    )


def _jars(home: Path, say: Say) -> Path:
    lib = home / "lib"
    if (lib / f"neo4j-{NEO4J_VERSION}.jar").is_file() and list(lib.glob("neo4j-browser-*.jar")):
        return lib
    mvn = shutil.which("mvn")
    if not mvn:
        raise BackendError(
            "Maven (mvn) is needed once, to fetch Neo4j from Maven Central. Install it (apt-get install maven)."
        )
    lib.mkdir(parents=True, exist_ok=True)
    pom = resources.files("chaingraph.neo4j").joinpath("pom.xml")
    with resources.as_file(pom) as pom_path:
        say(f"fetching Neo4j {NEO4J_VERSION} and Neo4j Browser from Maven Central (first run only)…")
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(pom_path), "dependency:copy-dependencies", f"-DoutputDirectory={lib}"],
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
        raise BackendError(f"Maven could not fetch Neo4j:\n{tail}")
    return lib


_SIZE = re.compile(r"[1-9][0-9]*[kmgKMG]?")


def check_size(what: str, size: str) -> None:
    """Refuse a memory size that is not digits and an optional k, m or g (it goes into neo4j.conf and -Xmx).

    ``what`` names the setting (``param("heap")`` for a parameter a front end sets).

    >>> check_size(param("heap"), "2g")
    >>> check_size(param("heap"), "2 GB")
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: heap must be a size such as 2g, 512m or 1048576k (digits, then k, m or g), not '2 GB'.
    """
    if not _SIZE.fullmatch(size):
        raise ChaingraphError(
            f"{what} must be a size such as 2g, 512m or 1048576k (digits, then k, m or g), not {size!r}."
        )


def _write_conf(home: Path, *, bolt_port: int, http_port: int, heap: str, pagecache: str) -> Path:
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for d in ("data", "logs", "run", "plugins", "import"):
        (home / d).mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text(
        "\n".join(
            [
                "# written by chaingraph neo4j up",
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=127.0.0.1",
                f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
                f"server.http.listen_address=127.0.0.1:{http_port}",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=true",
                f"server.memory.heap.max_size={heap}",
                f"server.memory.pagecache.size={pagecache}",
                "dbms.usage_report.enabled=false",
                "db.tx_log.rotation.retention_policy=2 files",
                *(f"server.directories.{d}={home / d}" for d in ("data", "logs", "run", "plugins", "import")),
                "",
            ]
        ),
        encoding="utf-8",
    )
    return conf


def _password(home: Path) -> str:
    path = home / "password"
    env = os.environ.get("NEO4J_PASSWORD")
    if env:
        pw = env
    elif path.is_file():
        pw = path.read_text(encoding="utf-8").strip()
    else:
        pw = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(pw + "\n")
    os.chmod(path, 0o600)
    return pw


def _pid(home: Path) -> int | None:
    path = home / "run" / "chaingraph.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _http_version(http_port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/", timeout=2) as r:
            import json

            return str(json.loads(r.read().decode("utf-8")).get("neo4j_version"))
    except (OSError, ValueError):
        return None


def status(*, bolt_port: int = 7687, http_port: int = 7474) -> ServerStatus:
    """Whether the local server is running."""
    home = _home()
    pid = _pid(home)
    version = _http_version(http_port) if pid else None
    return ServerStatus(
        pid is not None and version is not None,
        pid,
        f"bolt://127.0.0.1:{bolt_port}",
        f"http://127.0.0.1:{http_port}/browser/",
        home,
        version,
    )


def up(
    *,
    bolt_port: int = 7687,
    http_port: int = 7474,
    heap: str = "2g",
    pagecache: str = "1g",
    timeout: float = 180.0,
    say: Say = lambda _m: None,
) -> ServerStatus:
    """Start the local server (or report the running one) and wait until it answers."""
    check_size(param("heap"), heap)
    check_size("pagecache", pagecache)
    home = _home()
    current = status(bolt_port=bolt_port, http_port=http_port)
    if current.running:
        return current
    if _port_open(bolt_port) or _port_open(http_port):
        raise BackendError(
            f"port {bolt_port} or {http_port} on 127.0.0.1 is taken by another program; "
            f"stop it or pass {param('bolt_port')}/{param('http_port')}."
        )
    java = find_java()
    lib = _jars(home, say)
    conf = _write_conf(home, bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache)
    password = _password(home)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    cp = f"{lib}/*"
    if not (home / "data" / "dbms").exists():
        admin = subprocess.run(
            [java, "-cp", cp, ADMIN_CLASS, "dbms", "set-initial-password", password],
            env=env,
            capture_output=True,
            text=True,
        )
        if admin.returncode != 0:
            raise BackendError("could not set the initial Neo4j password (see neo4j-admin output in the logs).")
    log = open(home / "logs" / "console.log", "ab")  # noqa: SIM115 (the server keeps it)
    cmd = [java, f"-Xmx{heap}", *JVM_FLAGS, "-cp", cp, MAIN_CLASS,
           f"--home-dir={home}", f"--config-dir={conf}", "--console-mode"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (home / "run" / "chaingraph.pid").write_text(str(proc.pid))
    say(f"starting Neo4j {NEO4J_VERSION} (pid {proc.pid})…")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BackendError(f"Neo4j exited with code {proc.returncode}; see {home / 'logs' / 'console.log'}")
        if _port_open(bolt_port) and _http_version(http_port):
            return status(bolt_port=bolt_port, http_port=http_port)
        time.sleep(0.2)
    raise BackendError(f"Neo4j did not answer within {timeout:.0f} s; see {home / 'logs' / 'console.log'}")


def import_database(files: list[str], *, say: Say = lambda _m: None) -> str:
    """``neo4j-admin database import full neo4j --overwrite-destination`` on the stopped local server.

    ``files`` are the tool's ``--nodes=…``/``--relationships=…`` arguments (and options such as
    ``--multiline-fields=true``).
    Returns the tool's summary; its whole output goes to ``logs/import.log``.
    """
    home = _home()
    if _pid(home) is not None:
        raise BackendError("the local Neo4j is running; the import needs it stopped (chaingraph neo4j down).")
    conf = require_installed()
    java = find_java()
    lib = _jars(home, say)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    cmd = [java, "-cp", f"{lib}/*", ADMIN_CLASS, "database", "import", "full", "neo4j", "--overwrite-destination",
           "--skip-duplicate-nodes=false", *files]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    (home / "logs" / "import.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        raise BackendError(f"neo4j-admin import failed: {lines[-1] if lines else proc.returncode}; "
                           f"see {home / 'logs' / 'import.log'}")  # fmt: skip
    done = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip().startswith("IMPORT DONE")]
    return done[-1] if done else "IMPORT DONE"


def require_installed() -> Path:
    """The local server's config folder; :class:`BackendError` when ``neo4j up`` never ran."""
    conf = _home() / "conf"
    if not (conf / "neo4j.conf").is_file():
        raise BackendError("no local Neo4j yet: run `chaingraph neo4j up` once first.")
    return conf


def configured() -> tuple[int, int, str]:
    """Bolt port, HTTP port and heap the local server was last started with (the defaults if never)."""
    conf = _home() / "conf" / "neo4j.conf"
    text = conf.read_text(encoding="utf-8") if conf.is_file() else ""

    def get(key: str, default: str) -> str:
        m = re.search(rf"^{re.escape(key)}=(\S+)$", text, flags=re.M)
        return m.group(1) if m else default

    bolt = int(get("server.bolt.listen_address", ":7687").rsplit(":", 1)[-1])
    http = int(get("server.http.listen_address", ":7474").rsplit(":", 1)[-1])
    return bolt, http, get("server.memory.heap.max_size", "2g")


def import_dir() -> Path:
    """Where the import CSVs are written (the server's import folder)."""
    return _home() / "import" / "chaingraph"


def down(*, timeout: float = 60.0) -> bool:
    """Stop the local server; ``False`` when none was running."""
    home = _home()
    pid = _pid(home)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.3)
    else:
        os.kill(pid, signal.SIGKILL)
    (home / "run" / "chaingraph.pid").unlink(missing_ok=True)
    return True
