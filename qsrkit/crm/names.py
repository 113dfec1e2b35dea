"""People's names as CRM exports, quotas files and team lists write them, and as we compare them.

One person, one key: `key` ignores the Unicode form (a composed é, U+00E9, and e + U+0301 are
one letter), case and runs of spaces, everywhere a name is compared: the export's owners,
`--rep`, `--team-list` and the quotas file. A rep is shown and written as the first spelling
seen in the export, NFC-normalised and `clean`ed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

MAX_NAME = 200  # characters; a person's name is far shorter, and the answers file must accept it

# What `clean` removes from a name once whitespace of every kind (tabs, line breaks, U+0085,
# U+2028) has become single spaces: the control characters and non-characters that YAML, XML
# and Word cannot hold, and that would break the comment line our answers file starts with.
_UNWANTED = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def key(name: str) -> str:
    """The comparison key of a name: canonical caseless (NFD, casefold, NFC), spaces collapsed,
    what `clean` removes removed."""
    bare = _UNWANTED.sub("", " ".join(name.split()))
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFD", bare).casefold())
    return " ".join(folded.split())


def clean(name: str) -> tuple[str, list[str]]:
    """The name to show and write (NFC, one space between words), and what was taken out of it
    (U+XXXX codes) that a reader should hear about: control characters and line breaks. Other
    spaces (a no-break space, say) just become plain ones."""
    spaced = " ".join(name.split())
    removed = sorted({f"U+{ord(c):04X}" for c in name
                      if _UNWANTED.match(c) or unicodedata.category(c) in ("Zl", "Zp")})
    return unicodedata.normalize("NFC", _UNWANTED.sub("", spaced)).strip(), removed


def did_you_mean(name: str, names: list[str]) -> str:
    """`; did you mean 'X'?` for the closest of `names` (compared by key), or nothing."""
    keys = {key(n): n for n in names}
    close = difflib.get_close_matches(key(name), list(keys), n=1)
    return f"; did you mean '{keys[close[0]]}'?" if close else ""


def listing(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
