"""File names made from people's names: the same rule for answers files, documents and batches."""

from __future__ import annotations

import re
import unicodedata

# File systems allow 255 bytes a name; the rest of a name (-2026-Q4-qsr.docx) needs about 20.
MAX_SLUG = 80


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return text[:MAX_SLUG].rstrip("-") or "rep"


def default_file_name(rep: str | None, quarter: str) -> str:
    return f"{slug(rep) if rep else 'qsr'}-{quarter}.yaml"
