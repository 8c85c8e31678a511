"""HTML mail as safe plain text, with ``inscriptis`` (Apache-2.0, maintained): it renders the layout (paragraphs,
lists, tables) as text, drops ``<script>`` and ``<style>`` and keeps each link's target after its text. The
result is plain text only; the templates escape it like any other text."""

from __future__ import annotations

import re

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=True)
_SCRIPT = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_to_text(html: str) -> str:
    if not html or not html.strip():
        return ""
    html = _SCRIPT.sub(" ", html)  # inscriptis drops them too; belt and braces for broken markup
    try:
        text = get_text(html, _CONFIG)
    except Exception:  # markup lxml cannot read at all: the tags removed, nothing executed anyway
        text = re.sub(r"<[^>]+>", " ", html)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
