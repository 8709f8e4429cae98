"""The one place prompt templates are rendered: ``prompts/<name>.<language>.jinja``.

Prompts are data (Jinja templates in the ``prompts`` folder, one per language), never
strings in code. Rendering is strict: a variable the caller forgot is an error, not an
empty hole in a prompt.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import genbi.prompts
from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import jinja2
else:
    jinja2 = lazy_module("jinja2")

LANGUAGES = ("en", "zh")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = Path(genbi.prompts.__file__).parent
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render_prompt(name: str, language: str, **context: Any) -> str:
    """Render ``prompts/{name}.{language}.jinja`` (English when the language has none)."""
    language = language if language in LANGUAGES else "en"
    environment = _environment()
    try:
        template = environment.get_template(f"{name}.{language}.jinja")
    except jinja2.TemplateNotFound:
        template = environment.get_template(f"{name}.en.jinja")
    return template.render(**context).strip() + "\n"


def prompt_names() -> list[str]:
    """Every template shipped, e.g. ``agent_system.en.jinja``, ``copy/sms.zh.jinja``."""
    root = Path(genbi.prompts.__file__).parent
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.jinja"))
