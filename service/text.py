"""Text checks at the edge: what any string a user sends must satisfy before it is stored.

Names are kept as written, in NFC. Characters that only hide or reorder text (control
characters, bidirectional overrides and isolates) are refused outright: they have no place in
a name, and they can make one record look like another to a reviewer. Zero-width joiners and
non-joiners stay, because Persian and Indic names need them; the matcher drops them itself.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FREE_TEXT_WHITESPACE = frozenset("\n\t\r")


class TextError(ValueError):
    """A string a user sent cannot be accepted; the message says why, in plain words."""


def clean_text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """NFC-normalise and trim `value`, refusing invisible trickery and over-long text."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise TextError("contains an unpaired surrogate, which is not a character")
        if category == "Cc" and not (multiline and char in FREE_TEXT_WHITESPACE):
            raise TextError(f"contains the control character U+{ord(char):04X}")
        if char in BIDI_CONTROLS:
            raise TextError(f"contains the bidirectional control character U+{ord(char):04X}")
    # Measure before normalising too: 10,000 combining marks must not cost a full NFC pass.
    if len(value) > max_length * 4:
        raise TextError(f"is longer than {max_length} characters")
    cleaned = unicodedata.normalize("NFC", value).strip()
    if not cleaned:
        raise TextError("must not be empty")
    if len(cleaned) > max_length:
        raise TextError(f"is longer than {max_length} characters")
    return cleaned
