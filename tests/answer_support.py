"""What a person reads in an answer, for tests that check formatting and language."""

from __future__ import annotations

import re

from genbi.assistant.answer import Answer
from genbi.assistant.display import display_table

ALLOWED_LATIN = {"RFM", "AIPL", "AUC", "APP", "Lumi", "SMS"}
"""Latin words a Chinese answer may hold: method names marketers use as is, the brand."""
NUMBER_TEXT = re.compile(r"\d[\d,]*\.(\d+)")


def shown_text(answer: Answer) -> list[str]:
    """Everything a person reads: interpretation, narrative, table headers and cells, and the
    chart's title, series names, category labels and axis ticks."""
    table = display_table(answer, 50)
    texts = [answer.interpretation, answer.narrative, *table.headers, *(c for row in table.rows for c in row)]
    if answer.chart is not None:
        spec = answer.chart.to_plotly_json()
        layout = spec["layout"]
        texts.append(str((layout.get("title") or {}).get("text") or ""))
        for axis in (k for k in layout if k.startswith(("xaxis", "yaxis"))):
            texts += [str(t) for t in layout[axis].get("ticktext") or ()]
            texts.append(str((layout[axis].get("title") or {}).get("text") or ""))
        for trace in spec["data"]:
            texts.append(str(trace.get("name") or ""))
            for key in ("x", "y", "labels"):
                values = trace.get(key)
                if values is not None and not isinstance(values, dict):
                    texts += [v for v in list(values) if isinstance(v, str)]
    return [t for t in texts if t]


def english_words(texts: list[str]) -> set[str]:
    words = {w for t in texts for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]+>", "", t))}
    return {w for w in words if w not in ALLOWED_LATIN and not w.startswith("Lumi")}
