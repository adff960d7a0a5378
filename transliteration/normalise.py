"""Normalisation of names as written, before any romanisation.

Two levels:

- `clean_text` removes what a writer never meant to be part of the name: compatibility
  forms (NFKC), case, control, zero-width and bidirectional formatting characters, the
  Arabic tatweel and the optional vowel signs of Arabic and Hebrew (harakat, niqqud).
  Letters are kept as written, because romanisation needs them (Ukrainian і is not и).
- `normalise_name` also unifies letter variants that different writers of one language
  use for the same name (Arabic alef and hamza forms, ى/ي, ة/ه, Persian ک/ی against Arabic
  ك/ي, Cyrillic ё/е, Greek accents and final sigma), so that two native-script spellings
  can be compared directly.

Both are idempotent: applying them twice gives the same text as applying them once.
"""

from __future__ import annotations

import unicodedata

# Arabic tatweel and the optional vowel and reading signs (harakat, shadda, sukun, small
# letters of Quranic orthography); a writer may or may not put them, so they never decide.
_ARABIC_OPTIONAL = {0x0640, *range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670}
_ARABIC_OPTIONAL |= set(range(0x06D6, 0x06EE)) | set(range(0x08D3, 0x0900))
# Hebrew points and cantillation marks (niqqud); the letters carry the name.
_HEBREW_POINTS = set(range(0x0591, 0x05C8)) - {0x05BE, 0x05C0, 0x05C3, 0x05C6}
_REMOVED = frozenset(_ARABIC_OPTIONAL | _HEBREW_POINTS | {0x00AD, 0x034F, 0xFEFF})

# Writers of one language mix these letters freely in names.
_LETTER_VARIANTS = str.maketrans(
    {
        # Arabic: hamza carriers and alef forms, alef maqsura, teh marbuta.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ۃ": "ه",  # Urdu teh marbuta (فاضلۃ Fazila)
        "ۂ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ە": "ه",
        # Persian, Urdu, Pashto and Kurdish forms of kaf and yeh.
        "ک": "ك",
        "ڪ": "ك",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ێ": "ي",
        "ے": "ي",
        "ۓ": "ي",
        "ٸ": "ي",
        "ء": "",
        # Cyrillic: ё is written е in most texts; Ukrainian and Belarusian letters stand
        # for sounds that Russian spellings of the same name write with и, е, г, у.
        "ё": "е",
        "і": "и",
        "ї": "и",
        "є": "е",
        "ґ": "г",
        "ў": "у",
        "ѐ": "е",
        "ѝ": "и",
        # Greek final sigma.
        "ς": "σ",
    }
)


def _is_removed(char: str) -> bool:
    code = ord(char)
    if code in _REMOVED:
        return True
    category = unicodedata.category(char)
    # Cc: controls; Cf: zero-width joiners, bidirectional marks and overrides, and other
    # invisible formatting characters; Co/Cs/Cn: private use, lone surrogates, unassigned.
    return category in {"Cc", "Cf", "Co", "Cs", "Cn"} and char not in "\t\n "


def clean_text(text: str) -> str:
    """The name as written, with invisible, optional and compatibility characters removed.

    NFKC (so full-width and ligature forms become ordinary letters), case folded,
    controls, zero-width and bidirectional characters dropped, Arabic tatweel and harakat
    and Hebrew niqqud dropped, runs of white space made one space, then NFC.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not _is_removed(char))
    # Case folding can produce new compositions (and NFKC after folding keeps this
    # idempotent: folding ß gives ss, already stable).
    text = unicodedata.normalize("NFKC", text.casefold())
    text = "".join(char for char in text if not _is_removed(char))
    return " ".join(text.split())


def normalise_name(text: str) -> str:
    """`clean_text`, then letter variants that writers mix unified (see module docstring)."""
    text = clean_text(text).translate(_LETTER_VARIANTS)
    if any(0x0370 <= ord(char) <= 0x03FF or 0x1F00 <= ord(char) <= 0x1FFF for char in text):
        decomposed = unicodedata.normalize("NFD", text)
        out: list[str] = []
        for char in decomposed:
            if unicodedata.combining(char) and out and "\u0370" <= out[-1] <= "\u03ff":
                continue
            out.append(char)
        text = unicodedata.normalize("NFC", "".join(out)).translate(_LETTER_VARIANTS)
    return " ".join(text.split())
