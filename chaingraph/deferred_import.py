"""Modules the CLI imports only when first used: a command that never needs pandas never pays its import.

``import pandas`` costs about 0.4 s of every command (numpy alone 0.13 s), more than a warm ``gaps`` spends in
its queries at 2M links.  :func:`defer` puts a module into ``sys.modules`` without running it; the first time
any code reads one of its attributes (``pd.DataFrame``), the module runs, once, whichever thread asks first,
and from then on it is the ordinary module.  ``import pandas as pd`` at the top of a module therefore costs
nothing until ``pd`` is used.  Only the CLI defers (``chaingraph.cli``, before a command runs); a program
that imports chaingraph as a library imports pandas as usual.

Examples
--------
>>> import sys
>>> name = "chaingraph.results.whatif"
>>> was = sys.modules.pop(name, None)
>>> defer(name)
True
>>> is_deferred(name)
True
>>> sys.modules[name].WhatIf.__name__  # the first use runs the module
'WhatIf'
>>> is_deferred(name)
False
>>> _ = sys.modules.pop(name) if was is None else sys.modules.__setitem__(name, was)
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from typing import Any

__all__ = ["defer", "is_deferred"]

#: Held while a deferred module runs: another thread asking for it waits instead of seeing it half made.
_LOCK = threading.RLock()
#: The deferred modules running now (their own code reads their attributes while they run).
_RUNNING: set[str] = set()
#: What a deferred module answers without running: what ``import`` itself reads of a module in sys.modules.
_WITHOUT_RUNNING = frozenset({"__spec__", "__name__", "__class__", "__dict__"})


class _Deferred(types.ModuleType):
    """A module in ``sys.modules`` not run yet: the first attribute read runs it."""

    def __getattribute__(self, attr: str) -> Any:
        if attr not in _WITHOUT_RUNNING:
            with _LOCK:  # re-entrant: the module's own code, running under it, reads its attributes
                if type(self) is _Deferred:
                    spec = types.ModuleType.__getattribute__(self, "__spec__")
                    if spec.name not in _RUNNING:
                        _RUNNING.add(spec.name)
                        try:
                            spec.loader.exec_module(self)
                            self.__class__ = types.ModuleType  # type: ignore[assignment]  # the module, run
                        finally:
                            _RUNNING.discard(spec.name)
        return types.ModuleType.__getattribute__(self, attr)


def defer(name: str) -> bool:
    """Put module ``name`` into ``sys.modules`` without running it; it runs when first used.

    Returns whether it was deferred: ``False`` when it is imported already or not installed (then
    ``import`` behaves as it always does).
    """
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules[name] = module
    return True


def is_deferred(name: str) -> bool:
    """Whether module ``name`` is deferred and not run yet."""
    return type(sys.modules.get(name)) is _Deferred
