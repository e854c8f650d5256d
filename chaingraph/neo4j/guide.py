"""A Neo4j Browser guide (``:play``) walking a promotion team through a zone's questions.

The guide is one HTML page of slides (``<slide>`` elements, the format Neo4j
Browser 5 plays with ``:play <url>`` or ``:guide <url>``) in Chinese and
English. Its query blocks are the files of ``queries/`` themselves (their
header comments left out), so the guide runs exactly what the CLI runs: a
click on a block puts it into the editor, ▶ runs it. The page and
``chaingraph.grass`` are served by :class:`GuideServer` on ``localhost``,
a host Neo4j Browser fetches guides from by default
(``browser.remote_content_hostname_allowlist`` is ``guides.neo4j.com,localhost``),
with the CORS header Browser needs. Nothing here imports click.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from chaingraph.errors import BackendError, param

__all__ = ["DEFAULT_PORT", "GuideServer", "guide_html", "query_block", "serve_guide", "write_guide"]

DEFAULT_PORT = 8474
GUIDE = "chaingraph.html"
GRASS = "chaingraph.grass"
EXAMPLE_ZONE = "晋城经开区"
EXAMPLE_FIRM = "JC-FSK"
MAX_ZONES = 30


def _query_text(name: str) -> str:
    return resources.files("chaingraph.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def query_block(name: str) -> str:
    """``queries/<name>.cypher`` without its header comment: what a guide block holds.

    >>> query_block("has_chain_map")
    'RETURN EXISTS { MATCH (:Chain) } AS has_chain_map'
    """
    lines = _query_text(name).splitlines()
    while lines and (lines[0].lstrip().startswith("//") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def _cypher_string(text: str) -> str:
    """A Cypher string literal.

    >>> _cypher_string("晋城's")
    "'晋城\\\\'s'"
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pre(text: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{html.escape(text, quote=False)}</pre>'


def guide_html(*, base: str, zones: Sequence[str] = (), firm: str = EXAMPLE_FIRM) -> str:
    """The guide page; ``base`` is where it is served (for the style sheet link).

    ``zones`` (the database's zones, when known) become one-click ``:param``
    blocks; without them the sample's 晋城经开区 is the example.

    >>> page = guide_html(base="http://localhost:8474", zones=["晋城经开区"])
    >>> page.count("<slide"), ":param zone =&gt; '晋城经开区'" in page
    (10, True)
    """
    template = resources.files("chaingraph.neo4j").joinpath("guide.html").read_text(encoding="utf-8")
    shown = list(zones)[:MAX_ZONES] or [EXAMPLE_ZONE]
    zone_blocks = "\n".join(_pre(f":param zone => {_cypher_string(z)}") for z in shown)
    if len(zones) > MAX_ZONES:
        zone_blocks += f"\n<p>……还有 {len(zones) - MAX_ZONES} 个 · and {len(zones) - MAX_ZONES} more</p>"
    first = _cypher_string(shown[0])
    values = {
        "base": html.escape(base.rstrip("/")),
        "zones": zone_blocks,
        "zone_options": _pre(f":param zone => ({{name: {first}, scope: 'zone', statuses: ['active', 'planned']}})"),
        "gap_one": _pre(f":param zone => ({{name: {first}, product: '功率模块'}})"),
        "firm": _pre(f":param id => {_cypher_string(firm)}"),
        "style": _pre(f":style {base.rstrip('/')}/{GRASS}"),
        "list_zones": _pre(":param scope => 'zone';\n" + query_block("zones")),
    }
    for name in ("panorama_graph", "gaps", "gap_graph", "invite", "closure", "local_chains_graph", "savings_realized",
                 "savings_potential", "leaders", "neighbourhood", "routes"):  # fmt: skip
        values[f"q:{name}"] = _pre(query_block(name))
    out = template
    for key, value in values.items():
        out = out.replace("{{" + key + "}}", value)
    if "{{" in out:  # pragma: no cover (a template key without a value)
        raise ValueError("guide.html has an unknown {{key}}")
    return out


def write_guide(folder: str | Path, *, base: str, zones: Sequence[str] = ()) -> list[Path]:
    """Write the guide and the style sheet into ``folder`` (to host them on another web server)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    page, grass = out / GUIDE, out / GRASS
    page.write_text(guide_html(base=base, zones=zones), encoding="utf-8")
    grass.write_text(
        resources.files("chaingraph.queries").joinpath(GRASS).read_text(encoding="utf-8"), encoding="utf-8"
    )
    return [page, grass]


class _Handler(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, tuple[bytes, str]]] = {}

    def _send(self, body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/") or GUIDE
        if path not in self.files:
            self.send_error(404, "chaingraph serves only /chaingraph.html and /chaingraph.grass")
            return
        data, kind = self.files[path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")  # Browser fetches guides cross-origin
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._send(True)

    def do_HEAD(self) -> None:
        self._send(False)

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class GuideServer:
    """The guide and style sheet over HTTP on ``host:port`` (port 0: any free one).

    ``url`` is what to ``:play`` in Neo4j Browser; it names ``localhost``,
    which Browser's default allowlist lets it fetch from.
    """

    def __init__(self, *, port: int = DEFAULT_PORT, host: str = "127.0.0.1", zones: Sequence[str] = ()) -> None:
        try:
            self.httpd = ThreadingHTTPServer((host, port), _Handler)
        except OSError as err:
            raise BackendError(
                f"cannot serve the guide on {host}:{port}: {err.strerror} (try {param('port')})"
            ) from None
        self.port = int(self.httpd.server_address[1])
        self.base = f"http://localhost:{self.port}"
        grass = resources.files("chaingraph.queries").joinpath(GRASS).read_bytes()
        page = guide_html(base=self.base, zones=zones).encode("utf-8")
        handler = type("Handler", (_Handler,), {"files": {GUIDE: (page, "text/html; charset=utf-8"),
                                                          GRASS: (grass, "text/plain; charset=utf-8")}})  # fmt: skip
        self.httpd.RequestHandlerClass = handler
        self.url = f"{self.base}/{GUIDE}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        """Release the port (after :meth:`serve_forever` returned)."""
        self.httpd.server_close()


@contextmanager
def serve_guide(*, port: int = 0, zones: Sequence[str] = ()) -> Iterator[GuideServer]:
    """A :class:`GuideServer` running in a background thread (for tests and notebooks)."""
    server = GuideServer(port=port, zones=zones)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        thread.join(timeout=5)
        server.close()
