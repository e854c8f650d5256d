"""The layers of docs/architecture.md: every import inside chaingraph/ points down (or sideways where allowed).

Imports are read from the source (ast), including those inside functions
and under ``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "chaingraph"

#: Layer of each module (a dotted prefix; the longest match wins), lowest first.  docs/architecture.md draws them.
LAYERS: dict[str, tuple[int, str]] = {
    "chaingraph.errors": (0, "base"),
    "chaingraph.deferred_import": (0, "base"),
    "chaingraph.rawtables": (1, "io"),
    "chaingraph.xlsx": (1, "io"),
    "chaingraph.validate": (1, "io"),
    "chaingraph.listcells": (1, "io"),
    "chaingraph.lookup": (1, "io"),
    "chaingraph.spreadsheet": (1, "io"),
    "chaingraph.synth": (1, "io"),
    "chaingraph.template": (1, "io"),
    "chaingraph.spark_session": (1, "io"),
    "chaingraph.javaruntime": (1, "io"),
    "chaingraph.model": (2, "model"),
    "chaingraph.productflow": (2, "model"),
    "chaingraph.load": (2, "model"),
    "chaingraph.spark_tables": (2, "model"),
    "chaingraph.validated_copy": (2, "model"),
    "chaingraph.derived": (2, "model"),
    "chaingraph.results": (3, "results"),
    "chaingraph.analysis": (4, "analysis"),
    "chaingraph.engine": (5, "engines"),
    "chaingraph.memory_engine": (5, "engines"),
    "chaingraph.neo4j": (5, "engines"),
    "chaingraph.spark_standalone": (5, "engines"),
    "chaingraph.relational": (5, "engines"),
    "chaingraph.duckdb_engine": (5, "engines"),
    "chaingraph.spark_engine": (5, "engines"),
    "chaingraph.queries": (5, "engines"),
    "chaingraph.render": (5, "render"),
    "chaingraph.registry": (6, "app"),
    "chaingraph.sources": (6, "app"),
    "chaingraph.outputs": (6, "app"),
    "chaingraph.invoices": (6, "app"),
    "chaingraph.cli": (7, "cli"),
    "chaingraph": (7, "cli"),  # the package's own __init__: the public entry points
}

#: Imports that the ranks would allow but the architecture forbids: (importer prefix, imported prefix).
FORBIDDEN = [
    ("chaingraph.render", "chaingraph.engine"),  # renderers show results; they never ask an engine
    ("chaingraph.render", "chaingraph.memory_engine"),
    ("chaingraph.render", "chaingraph.neo4j"),
    ("chaingraph.engine", "chaingraph.render"),  # engines compute; they never format
    ("chaingraph.memory_engine", "chaingraph.render"),
    ("chaingraph.neo4j", "chaingraph.render"),
    ("chaingraph.neo4j", "chaingraph.analysis"),  # each engine builds results itself: never the other engine
    ("chaingraph.neo4j", "chaingraph.memory_engine"),
    ("chaingraph.memory_engine", "chaingraph.neo4j"),
    ("chaingraph.engine", "chaingraph.memory_engine"),  # the interface names no engine
    ("chaingraph.engine", "chaingraph.neo4j"),
    ("chaingraph.engine", "chaingraph.analysis"),
]


def _layer(module: str) -> tuple[int, str]:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _module_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str, root: Path) -> list[str]:
    """The chaingraph modules ``path`` imports (``from package import module`` names the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.module == "chaingraph" and all(a.name == "__version__" for a in node.names):
                continue  # the version string is a constant, not a dependency on the CLI layer
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append(target)
            folder = root.parent.joinpath(*target.split("."))
            found += [f"{target}.{a.name}" for a in node.names if (folder / f"{a.name}.py").exists()]
    return [m for m in found if _under(m, "chaingraph")]


def _violations(root: Path = ROOT) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        module = _module_of(path, root)
        rank, name = _layer(module)
        for target in _imports(path, module, root):
            if path.name == "__init__.py" and _under(target, module):
                continue  # a package's __init__ re-exporting its own modules
            t_rank, t_name = _layer(target)
            if t_rank > rank:
                bad.append(f"{module} ({name}) imports {target} ({t_name}): an upward import")
            for src, dst in FORBIDDEN:
                if _under(module, src) and _under(target, dst):
                    bad.append(f"{module} ({name}) imports {target} ({t_name}): {src} never imports {dst}")
    return bad


def test_every_module_has_a_layer() -> None:
    for path in ROOT.rglob("*.py"):
        assert _layer(_module_of(path, ROOT))


def test_no_import_crosses_the_layers() -> None:
    assert _violations() == []


def test_the_check_catches_a_cross_layer_import(tmp_path: Path) -> None:
    """The check itself works: an analysis importing a renderer, or Neo4j importing the in-memory engine, is reported."""
    for folder in ("analysis", "neo4j", "render"):
        (tmp_path / "chaingraph" / folder).mkdir(parents=True)
        (tmp_path / "chaingraph" / folder / "__init__.py").write_text("")
    (tmp_path / "chaingraph" / "__init__.py").write_text("")
    (tmp_path / "chaingraph" / "render" / "fmt.py").write_text("")
    (tmp_path / "chaingraph" / "analysis" / "bad.py").write_text("from chaingraph.render import fmt\n")
    (tmp_path / "chaingraph" / "neo4j" / "worse.py").write_text("def f():\n    import chaingraph.analysis.bad\n")
    assert _violations(tmp_path / "chaingraph") == [
        "chaingraph.analysis.bad (analysis) imports chaingraph.render (render): an upward import",
        "chaingraph.analysis.bad (analysis) imports chaingraph.render.fmt (render): an upward import",
        "chaingraph.neo4j.worse (engines) imports chaingraph.analysis.bad (analysis): "
        "chaingraph.neo4j never imports chaingraph.analysis",
    ]
