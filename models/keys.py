"""Names folded for matching, the same way on every database.

SQLite's `lower()` folds ASCII letters only, so `Élan SA` and `élan sa` would
not match there while they do on PostgreSQL. leadcell stores a key beside each
company and event name instead, folded here in Python: case, accents and runs
of spaces and punctuation do not count.
"""

from __future__ import annotations

import re
import unicodedata


def name_key(name: str) -> str:
    """`  Élan  S.A. ` -> `elan s a`; `Zeta Énergie` -> `zeta energie`; `Straße` -> `strasse`."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())[:200]
