"""Latin-script names: diacritics by national convention, and phonetic folding.

A name written with diacritics is read by the convention of its language: Turkish `c` is
an English `j` (Cemal / Jamal), Albanian `xh` is `j`, Somali `x` is `h` and `c` the
Arabic ayn, German `ü` is also written `ue`. `latin_variants` gives the plain-ASCII
spellings a writer of another language would likely use; `phonetic_fold` then maps the
spellings that stand for one sound across conventions to one form (the transliteration
equivalence classes: k/q/c, ph/f, ou/u, y/i, w/v, sh/sch/ch, doubled letters).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Letters whose reading depends on the language; each gives alternatives to the plain
# diacritic-stripped form (which is always a candidate).
_DIACRITIC_READINGS: dict[str, tuple[str, ...]] = {
    "ç": ("ch", "c", "s"),  # Turkish, Albanian, Kurdish ç; French ç
    "ş": ("sh", "s"),  # Turkish, Kurdish, Azerbaijani
    "ș": ("sh", "s"),  # Romanian
    "ţ": ("ts", "t"),
    "ț": ("ts", "t"),
    "ğ": ("", "g", "gh"),  # Turkish soft g is silent; Azerbaijani ğ is gh
    "ı": ("i", "u"),
    "ö": ("o", "oe"),
    "ü": ("u", "ue"),
    "ä": ("a", "ae"),
    "ë": ("e", ""),  # Albanian ë is often silent at the end
    "š": ("sh", "s"),
    "č": ("ch", "c"),
    "ć": ("ch", "c"),
    "ž": ("zh", "z", "j"),
    "đ": ("d", "dj"),
    "ł": ("l", "w"),
    "ñ": ("n", "ny"),
    "ə": ("a", "e"),  # Azerbaijani
    "ø": ("o", "oe"),
    "å": ("a", "o"),
    "æ": ("ae", "e"),
    "ŭ": ("u", "eu"),  # McCune-Reischauer Korean
    "ŏ": ("o", "eo"),
    "ē": ("e", "ee"),
    "ā": ("a", "aa"),
    "ī": ("i", "ee"),
    "ō": ("o", "ou", "oh"),
    "ū": ("u", "uu", "oo"),
}

# Digraphs and letters of particular languages, applied to the ASCII form: (pattern,
# replacement). Each rule that applies yields one more candidate.
_CONVENTION_RULES: tuple[tuple[str, str], ...] = (
    (r"xh", "j"),  # Albanian
    (r"dh", "d"),  # Albanian, Somali
    (r"^x|(?<=[aeiou])x(?=[aeiou])", "h"),  # Somali x = h; Kurdish, Uzbek x = kh
    (r"(?<=[aeiou])c(?=[aeiou])|^c(?=[aeiou])", "j"),  # Turkish c = j
    (r"(?<=[aeiou])c(?=[^aeiouhk]|$)|^c(?=[aeiou])", ""),  # Somali c = ayn (Cumar Umar)
    (r"q(?=[aeiou])", "k"),
    (r"sz", "sh"),  # Polish, Hungarian
    (r"cz", "ch"),  # Polish
    (r"cs", "ch"),  # Hungarian
    (r"gy", "dj"),  # Hungarian
    (r"w", "v"),  # Polish, German
    (r"j(?=[aeiou])", "y"),  # German, Slavic, Scandinavian j = y
    (r"ou", "u"),  # French
    (r"tch|tsch", "ch"),
    (r"nh", "ny"),  # Vietnamese, Portuguese
    (r"^ng(?=[aeiou])", "n"),  # Vietnamese Nguyen spoken as Nuyen, Win
)
_COMPILED_RULES = tuple((re.compile(pattern), repl) for pattern, repl in _CONVENTION_RULES)

MAX_VARIANTS = 6


def strip_to_ascii(text: str) -> str:
    """Lower-case ASCII letters of `text`, diacritics removed (é → e, ß → ss, ø → o)."""
    return "".join(char for char in anyascii(text).lower() if "a" <= char <= "z")


@lru_cache(maxsize=65536)
def latin_variants(token: str) -> tuple[str, ...]:
    """Plain ASCII spellings of one Latin-script token, the diacritic-stripped form first.

    Letters with diacritics add the readings of the conventions they belong to
    (`çelik` → `celik`, `chelik`), and digraphs of particular languages add their
    English-like spelling (`xhafer` → `jafer`, `cumar` → `umar`).
    """
    token = unicodedata.normalize("NFC", token.casefold())
    base = strip_to_ascii(token)
    if not base:
        return ()
    variants = [base]
    if any(char in _DIACRITIC_READINGS for char in token):
        for pick in (1, 0):
            out: list[str] = []
            for char in token:
                readings = _DIACRITIC_READINGS.get(char)
                if readings:
                    out.append(readings[0] if pick == 1 or len(readings) == 1 else readings[1])
                else:
                    out.append(strip_to_ascii(char))
            variants.append("".join(out))
    for pattern, repl in _COMPILED_RULES:
        if len(variants) >= MAX_VARIANTS:
            break
        changed = pattern.sub(repl, base)
        if changed != base and changed:
            variants.append(changed)
    return tuple(dict.fromkeys(v for v in variants if v))[:MAX_VARIANTS]


# The phonetic folding: ordered rewrites on lower-case ASCII. The order matters: `x` is
# first spelled out as `ks` so that it can then stand for the sh-sound.
_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"[^a-z]", ""),
        (r"x", "ks"),
        (r"dzh|dsch|dz|dj|zh|jh", "j"),
        (r"t?sch|tch|tsh|sh|ch|sj|sz|cz|ş", "x"),
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"gh", "g"),
        (r"bh", "b"),
        (r"rh", "r"),
        (r"ck|q|c(?![eiy])|k", "k"),
        (r"c", "s"),
        (r"w", "v"),
        (r"y", "i"),
        (r"ou|oo|uu", "u"),
        (r"ee|ii", "i"),
        (r"aa", "a"),
        (r"(?<=[aeiou])h$", ""),
        (r"(.)\1+", r"\1"),
    )
)
_VOWEL_RUN = re.compile(r"[aeiou]+")


@lru_cache(maxsize=131072)
def phonetic_fold(ascii_form: str) -> str:
    """One spelling for the spellings of one sound: `mohammed` → `muhamed`... see module.

    Input is lower-case ASCII; the result is lower-case ASCII in which `x` stands for the
    sh-sound and `j` for the English j-sound, doubled letters are single, and the
    spellings k/q/c, ph/f, th/t, kh/h, w/v, y/i, ou/oo/u and ee/i are each one letter.
    """
    folded = ascii_form
    for pattern, repl in _FOLD_RULES:
        folded = pattern.sub(repl, folded)
    return folded


def vowel_agnostic(folded: str) -> str:
    """The folded form with every run of vowels written `a`: the vowels' places, not their quality."""
    return _VOWEL_RUN.sub("a", folded)


def consonant_skeleton(folded: str) -> str:
    """The folded form without its vowels: what vowel-less scripts (Arabic, Hebrew) write."""
    return _VOWEL_RUN.sub("", folded)
