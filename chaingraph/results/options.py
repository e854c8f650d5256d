"""The options every analysis takes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from chaingraph.errors import ChaingraphError, param

__all__ = ["SCOPES", "Options"]

SCOPES = ("zone", "city", "province")


@dataclass(frozen=True)
class Options:
    """The options every analysis takes.

    Parameters
    ----------
    zone
        The zone (or city, province) Z.
    scope
        Which enterprise column names Z: ``zone``, ``city`` or ``province``.
    include_planned
        Count ``planned`` links as if active.
    local_saving_rate
        r of definition 5 in docs/analysis.md (default 0.05).
    """

    zone: str
    scope: str = "zone"
    include_planned: bool = False
    local_saving_rate: float = 0.05

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ChaingraphError(f"unknown {param('scope')} {self.scope!r}; use one of {', '.join(SCOPES)}.")
        if not (0.0 <= self.local_saving_rate < 1.0) or math.isnan(self.local_saving_rate):
            raise ChaingraphError(f"{param('local_saving_rate')} must be in [0, 1), not {self.local_saving_rate}.")

    @property
    def statuses(self) -> tuple[str, ...]:
        """The link statuses that count as active."""
        return ("active", "planned") if self.include_planned else ("active",)
