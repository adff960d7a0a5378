"""Name structure: a full name as written, split into the parts that are compared.

A name arrives as one string in any script. This module splits it into tokens, drops the
particles that carry no identity (the article al-/el-, bin/ibn/bint, ould, van, de…),
joins the parts that belong together (Abd al-Rahman, Abu Bakr, Nasir al-Din: written
joined or apart, they are one name), and romanises each part into candidate Latin forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from transliteration import clean_text, detect_script, phonetic_fold, romanise
from transliteration.latin import east_asian_readings, pronunciations, strip_to_ascii

_SEPARATORS = re.compile(r"[\s\-‐‑–—_,;:/\\.·・•|()\[\]{}\"“”«»=+&*#@!?¿¡0-9]+")
_APOSTROPHES = re.compile(r"['’ʼʻ`´‘ʾʿ]")
#: An apostrophe after a Hebrew letter is a geresh typed on a Latin keyboard: it changes
#: the letter (ג' j, צ' ch, ז' zh in ג'ואל Joel, צ'לסי Chelsea), so it is kept as one.
_HEBREW_GERESH = re.compile(r"(?<=[\u05d0-\u05ea])['’ʼ`´‘]")

#: Particles that link or qualify a name but are not part of anyone's identity.
LATIN_PARTICLES = frozenset(
    {
        "al", "el", "ul", "ad", "ed", "as", "ash", "es", "at", "az", "ar", "ur", "an-",
        "bin", "ibn", "ben", "bint", "binti", "bte", "bn", "ould", "wuld", "ag",
        "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos",
        "das", "des", "y", "ter", "ten", "zu",
    }
)  # fmt: skip
ARABIC_PARTICLES = frozenset({"ال", "بن", "ابن", "بنت", "ولد", "آل", "اِبن", "إبن"})
#: Words that say a name is a family's, clan's or dynasty's rather than a person's ("the
#: Javanshir clan", عشيرة جوانشير, पँवार राजवंश, семья Ивановых): they come with the name
#: in some registrations and reference lists, and are nobody's name, so they are dropped
#: like particles.
KIN_GROUP_WORDS = frozenset(
    {
        # Latin
        "family", "clan", "dynasty", "tribe", "familie", "famille", "familia",
        "famiglia", "dynastie", "dinastia", "dinastija", "klan",
        # Arabic, Persian, Urdu
        "عائلة", "عائله", "العائلة", "عشيرة", "عشيره", "قبيلة", "قبيله", "أسرة", "اسرة",
        "سلالة", "خاندان", "خانواده", "طایفه", "قبیله", "دودمان",
        # Cyrillic
        "семья", "семейство", "клан", "династия", "род",
        # Hebrew, Greek
        "משפחת", "משפחה", "שושלת", "οικογένεια", "δυναστεία",
        # Devanagari, Bengali
        # (not वंश alone: Vansh is also a given name)
        "राजवंश", "परिवार", "রাজবংশ", "পরিবার",
        # Korean, Thai
        "가문", "왕조", "ตระกูล", "ราชวงศ์",
    }
)  # fmt: skip
#: The same written as a suffix of a Chinese or Japanese name (シャイフ家 the Shaykh
#: family, 谢赫家族, ニアジ族, 司马氏 the Sima clan), longest first; after two characters
#: at least, since a one-character name and a suffix (王家) may also be a given name.
_CJK_KIN_SUFFIX = re.compile(r"(?<=..)(?:家族|部族|一族|王朝|家|族|氏)$")
#: First halves of compounds written joined or apart: Abd al-Rahman, Abu Bakr, Umm Kulthum.
_ABD_WORDS = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdou", "abdoul", "abdur", "abdus",
     "abdi", "abdil", "abdell"}
)  # fmt: skip
_KUNYA_WORDS = frozenset({"abu", "abou", "abo", "umm", "um", "oum"})
_ARABIC_ABD = "عبد"
_ARABIC_KUNYA = frozenset({"ابو", "أبو", "ام", "أم", "ابي", "أبي"})
_DIN_WORDS = frozenset({"din", "deen", "eddin", "uddin", "aldin", "addin", "eddine", "edin"})
_ARABIC_DIN = frozenset({"الدين", "دين"})
#: Allah as the second half of a name (Obaid Allah, Habibullah), joined to the first.
_ALLAH_WORDS = frozenset({"allah", "ullah", "ollah", "alla", "ulla", "illah"})
_ARABIC_ALLAH = frozenset({"الله", "اللہ"})
_ABD_PREFIX = re.compile(r"^abd([aeiou]{0,2})(l?)")
_DIN_SUFFIX = re.compile(r"(?:[aeiou][dl][- ]?|al|ud|ad|ed)d(?:i|ee|ii)ne?$")


MAX_NAME_LENGTH = 400
MAX_PARTS = 12
MAX_PART_LENGTH = 40


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a name: as written, its script, and its candidate Latin forms."""

    written: str
    script: str
    forms: tuple[str, ...]
    folded: tuple[str, ...]  # phonetically folded forms, spellings before pronunciations
    spelled: int = 0  # how many of `folded` are spellings; 0: all of them
    #: Where the readings only East Asian transcriptions make begin in `folded` (an English
    #: name's th as s, its r after a vowel unsaid: `latin.east_asian_readings`); 0: none.
    east_asian_from: int = 0


def canonical_latin(ascii_token: str) -> str:
    """The spelling of a Latin name part that the canonical tokens use.

    Abd-compounds become `abdal` + the second name (abdurrahman, abdul rahman →
    abdalrahman; abdullah → abdallah) and the -ud-din family `aldin` (nasiruddin →
    nasiraldin), so that every way of writing the compound gives one token.
    """
    token = ascii_token
    match = _ABD_PREFIX.match(token)
    if match and len(token) > match.end() + 1:
        rest = token[match.end() :]
        if rest in {"la", "lah", "lahi", "llah", "lla", "llahi", "ulla", "ullah"}:
            return "abdallah"
        if not match.group(2) and len(rest) >= 2 and rest[0] == rest[1]:
            rest = rest[1:]
        if len(rest) >= 3:
            token = "abdal" + rest
    din = _DIN_SUFFIX.search(token)
    if din and din.start() >= 3:
        token = token[: din.start()] + "aldin"
    return token


def _split(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", _HEBREW_GERESH.sub("\u05f3", text))
    return [token for token in _SEPARATORS.split(text) if token]


@lru_cache(maxsize=65536)
def _key(token: str) -> str:
    """The particle-lookup key: lower-case ASCII for Latin, the letters for others.

    Memoised: every name looks up the key of each of its tokens, and tokens repeat across
    names far more than whole names do (a bulk import spent a tenth of its time here)."""
    return strip_to_ascii(token) if detect_script(token) == "Latn" else token


@lru_cache(maxsize=65536)
def _make_part(written: str) -> NamePart | None:
    script = detect_script(written)
    if script == "Latn":
        forms = romanise(written)
        forms = tuple(dict.fromkeys([*(canonical_latin(f) for f in forms[:1]), *forms]))
    else:
        forms = romanise(written)
        # Compounds romanised from other scripts take the canonical spelling too: Kazakh
        # Әбдірашит and Tajik Абдурахмон are Abd al-Rashid and Abd al-Rahman, Иззуддин
        # Izz al-Din (Arabic script joins them when parsing, see _join_compounds).
        canonical = tuple(canonical_latin(form) for form in forms[:1])
        forms = tuple(dict.fromkeys([*forms, *canonical]))
    if not forms:
        return None
    spoken: set[str] = set()
    if script == "Latn":
        spoken = set(pronunciations(strip_to_ascii(written))) - set(forms[:1])
    spelling_forms = [phonetic_fold(form) for form in forms if form not in spoken]
    spoken_forms = [phonetic_fold(form) for form in forms if form in spoken]
    folded = tuple(f for f in dict.fromkeys([*spelling_forms, *spoken_forms]) if f)
    if not folded:
        return None
    spelled = len([f for f in dict.fromkeys(spelling_forms) if f])
    spelled = spelled if spelled < len(folded) else 0
    east_asian_from = 0
    if script == "Latn":
        heard = [phonetic_fold(r) for r in east_asian_readings(strip_to_ascii(written))]
        # Kept even where a pronunciation is the same form: a spelling-only comparison
        # does not see the pronunciations.
        spellings = folded[:spelled] if spelled else folded
        extra = tuple(f for f in dict.fromkeys(heard) if f and f not in spellings)
        if extra:
            east_asian_from = len(folded)
            folded = (*folded, *extra)
    return NamePart(
        written=written,
        script=script,
        forms=forms,
        folded=folded,
        spelled=spelled,
        east_asian_from=east_asian_from,
    )


def _join_compounds(tokens: list[str]) -> list[str]:
    """Join Abd + name, Abu/Umm + name, name + al-Din, and drop particles."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        key = _key(token)
        nxt = tokens[index + 1] if index + 1 < len(tokens) else None
        # Skip an article or link word between the halves of a compound: Abd al Rahman.
        after = index + 1
        while (
            nxt is not None
            and after + 1 < len(tokens)
            and (_key(nxt) in {"al", "el", "ul", "ar", "ur", "as", "ad", "ed", "ال"})
            and (key in _ABD_WORDS or token == _ARABIC_ABD)
        ):
            after += 1
            nxt = tokens[after]
        if nxt is not None and (key in _ABD_WORDS or token == _ARABIC_ABD):
            if token == _ARABIC_ABD:
                stem = nxt if nxt.startswith("ال") else "ال" + nxt
                out.append(_ARABIC_ABD + stem)
            else:
                stem = strip_to_ascii(nxt)
                out.append("abdal" + re.sub(r"^(al|el|ul|ar|ur|as|ad|ed)(?=[a-z]{3})", "", stem))
            index = after + 1
            continue
        if nxt is not None and (key in _KUNYA_WORDS or token in _ARABIC_KUNYA):
            out.append(token + nxt)
            index = after + 1
            continue
        if out and (key in _ALLAH_WORDS or token in _ARABIC_ALLAH):
            previous = out.pop()
            if detect_script(previous) == "Latn":
                out.append(strip_to_ascii(previous) + "ullah")
            else:
                out.append(previous + "الله")
            index += 1
            continue
        if out and (key in _DIN_WORDS or token in _ARABIC_DIN):
            previous = out.pop()
            if out and _key(previous) in {"ud", "ad", "ed", "al", "el", "ul", "uz", "ez"}:
                previous = out.pop()
            if detect_script(previous) == "Latn":
                out.append(strip_to_ascii(previous) + "aldin")
            else:
                out.append(previous + "الدين")
            index += 1
            continue
        out.append(token)
        index += 1
    return out


@lru_cache(maxsize=65536)
def parse_name(name: str) -> tuple[NamePart, ...]:
    """The parts of a full name, particles dropped and compounds joined, in written order.

    "Abd al-Rahman bin Khalid" → (abdalrahman, khalid); "محمد عبدالله" → (محمد, عبدالله).
    A name made only of particles keeps them, so that no name is empty.
    """
    # Bounds keep a comparison fast whatever arrives: no real name has more parts, or
    # longer ones (the alignment is quadratic in both).
    tokens = [token[:MAX_PART_LENGTH] for token in _split(clean_text(name[:MAX_NAME_LENGTH]))]
    tokens = tokens[:MAX_PARTS]
    if not tokens:
        return ()
    tokens = [_CJK_KIN_SUFFIX.sub("", token) for token in tokens]
    joined = _join_compounds(tokens)
    kept = [
        token
        for position, token in enumerate(joined)
        if not (
            _key(token) in LATIN_PARTICLES
            or token in ARABIC_PARTICLES
            or _key(token) in KIN_GROUP_WORDS
        )
        or (position == len(joined) - 1 and len(joined) == 1)
    ]
    if not kept:
        kept = joined
    parts = (_make_part(token) for token in kept)
    return tuple(part for part in parts if part is not None)
