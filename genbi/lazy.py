"""Modules imported on first attribute access, so a command pays only for what it uses.

The offline ``genbi ask`` needs the planner, which reads every tool's intent words, but it
runs no tool: importing pandas, plotly, scikit-learn, SciPy and statsmodels for that cost
seconds on every question. Tool modules bind their heavy libraries with ``lazy_module``
(and the real import under ``TYPE_CHECKING`` for mypy), so the import happens the first
time a tool actually computes something::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy_module("pandas")
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """Stands in for a module until an attribute is read, then forwards to the real one."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = None

    def _load(self) -> ModuleType:
        target: ModuleType | None = self.__dict__["_lazy_target"]
        if target is None:
            target = importlib.import_module(self.__name__)
            self.__dict__["_lazy_target"] = target
        return target

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._load(), attribute)
        self.__dict__[attribute] = value  # next time a plain lookup: tools use np.* in loops
        return value

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        state = "loaded" if self.__dict__["_lazy_target"] is not None else "not loaded yet"
        return f"<lazy module {self.__name__!r} ({state})>"


def lazy_module(name: str) -> ModuleType:
    """``name`` itself when already imported, else a stand-in that imports it on first use."""
    loaded = sys.modules.get(name)
    return loaded if loaded is not None else _LazyModule(name)
