"""An answer's chart as plotly's own JSON (traces + layout), built without plotly.

Building a ``plotly.graph_objects.Figure`` validates every property through plotly's
validators and deep-copies the template: 100-250 ms an answer on a busy machine, more than
most warehouse queries, for a figure the front end then serialises straight back to JSON.
A ``ChartSpec`` holds that JSON as plain dicts and lists instead, and is what the chat UI
(``gr.Plot`` calls ``to_json()``), the ``--json`` output and the masking read. Code that wants
a real figure (a PNG export, a test reading ``chart.data[0].type``) gets one built on first
use: attribute reads go to it, and once built it is the chart (changes made to it are what
``to_plotly_json`` and ``to_json`` return).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go


class ChartSpec:
    """A plotly figure as JSON: ``{"data": [trace, ...], "layout": {...}}``."""

    __slots__ = ("_figure", "_json")

    def __init__(self, data: list[dict[str, Any]], layout: dict[str, Any]) -> None:
        self._json: dict[str, Any] = {"data": data, "layout": layout}
        self._figure: go.Figure | None = None

    @classmethod
    def from_json(cls, figure: dict[str, Any]) -> ChartSpec:
        return cls(list(figure.get("data", [])), dict(figure.get("layout", {})))

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure as plotly's JSON-ready dict (what ``Figure.to_plotly_json`` returns)."""
        if self._figure is not None:
            return dict(self._figure.to_plotly_json())
        return self._json

    def to_dict(self) -> dict[str, Any]:
        return self.to_plotly_json()

    def to_json(self, *args: Any, **kwargs: Any) -> str:
        """The JSON text plotly.js draws (``gr.Plot`` sends this to the browser)."""
        import plotly.io as pio

        kwargs.setdefault("validate", False)
        return str(pio.to_json(self.to_plotly_json(), *args, **kwargs))

    def figure(self) -> go.Figure:
        """The same chart as a validated plotly figure (built once, on first use)."""
        if self._figure is None:
            import plotly.graph_objects as go

            self._figure = go.Figure(self._json)
        return self._figure

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ChartSpec.__slots__:
            raise AttributeError(name)  # copy/pickle probing an instance not yet filled in
        return getattr(self.figure(), name)

    def __repr__(self) -> str:
        kinds = ", ".join(str(trace.get("type")) for trace in self.to_plotly_json()["data"])
        return f"ChartSpec({kinds or 'no traces'})"


class ChartDraft:
    """A chart being written: traces, and a layout merged the way plotly's ``update_layout``
    merges (nested dicts key by key, anything else replaced)."""

    def __init__(self, *traces: dict[str, Any]) -> None:
        self.data: list[dict[str, Any]] = list(traces)
        self.layout: dict[str, Any] = {}

    def add_trace(self, trace: dict[str, Any]) -> None:
        self.data.append(trace)

    def add_annotation(self, **annotation: Any) -> None:
        self.layout.setdefault("annotations", []).append(annotation)

    def update_layout(self, **changes: Any) -> None:
        merge(self.layout, changes)

    def spec(self) -> ChartSpec:
        return ChartSpec(self.data, self.layout)


def trace(kind: str, **properties: Any) -> dict[str, Any]:
    """One trace as plotly writes it (``trace("bar", x=[...], y=[...])``)."""
    return {"type": kind, **properties}


def merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    """``changes`` merged into ``target`` in place; a None value removes the key (as plotly's
    ``update_layout(title=None)`` does)."""
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            if not isinstance(target.get(key), dict):
                target[key] = {}
            merge(target[key], value)
        else:
            target[key] = value
