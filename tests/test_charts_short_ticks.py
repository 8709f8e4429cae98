"""``charts._short``: an axis label without trailing zeros, as the template substitution made it."""

from __future__ import annotations

import random
import re

from genbi.assistant.charts import _short
from genbi.assistant.formatting import format_value


def _by_template(text: str) -> str:
    """What ``_short`` did before its pattern was compiled once (``re.sub`` with ``r"\\1"``)."""
    return re.sub(r"(\.\d*?)0+(?=\D*$)", r"\1", text).replace(".%", "%").replace(".M", "M").replace(
        ".万", "万").replace(".亿", "亿").replace(".B", "B").replace(".×", "×").rstrip(".")


def test_short_labels_equal_the_template_substitution() -> None:
    rng = random.Random(3)
    alphabet = "0123456789.¥%M万亿B× -,$k"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    texts += [format_value(value, fmt, language) for value in (0, 0.5, 1.5, 2.25, 1000, 1.2e6, 3.5e8, 0.125, 12.0)
              for fmt in ("currency", "percent", "number", "ratio") for language in ("en", "zh")]
    assert [_short(text) for text in texts] == [_by_template(text) for text in texts]
    assert _short("¥1.50M") == "¥1.5M" and _short("20.0%") == "20%"
