"""Romanisation of Greek, Hebrew, Armenian, Georgian, Ethiopic and Thai names.

Each gives a few candidate Latin forms; the first is the most common spelling.

- Greek: modern pronunciation (β v, η/υ/ει/οι i, μπ b, ντ d, αυ av) and the classical,
  English-like spelling (β b, η e, υ y, φ ph, χ ch).
- Hebrew: like Arabic a consonantal script: the letters as written with ו/י as vowels,
  a form with `a` between consonants, and the spirant readings (ב v, כ kh, פ f).
- Armenian: Eastern forms, and Western Armenian, which swaps voiced and voiceless
  stops (Hagop against Hakob) and writes -ian.
- Georgian: anyascii's national system without the ejective apostrophes.
- Ethiopic (Amharic, Tigrinya): each syllable's consonant and vowel order; the sixth
  order (ə) is silent or an epenthetic i/e (ግርማ Girma), the first order (ä) e or a.
- Thai: leading vowels moved after their consonant, the final-consonant values (-k, -t,
  -n, -p), the silent letters under the cancellation mark, and the implicit o.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii


def _ascii_letters(text: str) -> str:
    return "".join(char for char in anyascii(text).lower() if "a" <= char <= "z")


# --- Greek -----------------------------------------------------------------------------
_GREEK_DIGRAPHS_MODERN = (
    ("ου", "ou"),
    ("αυ", "av"),
    ("ευ", "ev"),
    ("ηυ", "iv"),
    ("αι", "e"),
    ("ει", "i"),
    ("οι", "i"),
    ("υι", "i"),
    ("μπ", "b"),
    ("ντ", "d"),
    ("γκ", "g"),
    ("γγ", "ng"),
    ("τζ", "tz"),
    ("τσ", "ts"),
)
_GREEK_DIGRAPHS_CLASSICAL = (
    ("ου", "ou"),
    ("αυ", "au"),
    ("ευ", "eu"),
    ("αι", "ai"),
    ("ει", "ei"),
    ("οι", "oi"),
    ("μπ", "mp"),
    ("ντ", "nt"),
    ("γκ", "nk"),
    ("γγ", "ng"),
)
_GREEK_MODERN = str.maketrans(
    {
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
        "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
        "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "ch", "ψ": "ps",
        "ω": "o",
    }
)  # fmt: skip
_GREEK_CLASSICAL = str.maketrans(
    {
        "β": "b", "η": "e", "υ": "y", "φ": "ph", "χ": "ch", "κ": "c",
    }
)  # fmt: skip


def _strip_greek_accents(text: str) -> str:
    """Accents removed; an accent or diaeresis that splits a digraph leaves a '|' there.

    κλάιβ is kla-iv (Clive), not the digraph αι (e); Ιταλοΐ has a diaeresis on ι.
    """
    out: list[str] = []
    decomposed = unicodedata.normalize("NFD", text)
    for index, char in enumerate(decomposed):
        if not unicodedata.combining(char):
            out.append(char)
            continue
        nxt = decomposed[index + 1] if index + 1 < len(decomposed) else ""
        if char == "\u0301" and out and out[-1] in "αεοη" and nxt in "ιυ":
            out.append("|")  # the accent is on the first vowel: two syllables
        elif char == "\u0308" and len(out) >= 2 and out[-2] in "αεοη":
            out.insert(len(out) - 1, "|")  # ϊ, ϋ: the diaeresis separates the vowels
    return "".join(out)


@lru_cache(maxsize=65536)
def romanise_greek(token: str) -> tuple[str, ...]:
    """Modern (Γιώργος → giorgos) and classical (Φίλιππος → philippos) Latin forms."""
    word = _strip_greek_accents(token.casefold()).replace("ς", "σ")
    # ου before a vowel is w in foreign names (Γουίλιαμ William, Ουάσιγκτον Washington).
    word = re.sub(r"γ?ου(?=[αεηιοωυ])", "w", word)
    # μπ is b at the start; inside a word it is mb (Λάμπρος Lambros).
    modern = word[:2] + word[2:].replace("μπ", "mb")
    for greek, latin in _GREEK_DIGRAPHS_MODERN:
        modern = modern.replace(greek, latin)
    modern = modern.translate(_GREEK_MODERN)
    classical = word
    for greek, latin in _GREEK_DIGRAPHS_CLASSICAL:
        classical = classical.replace(greek, latin)
    classical = classical.translate(_GREEK_CLASSICAL).translate(_GREEK_MODERN)
    anyascii_form = _ascii_letters(token)
    # A foreign name as Greek hears it: τζ is its j (Τζέσι Jesse, Τζοβάνι Giovanni), τσ
    # its ch (Τσέλσι Chelsea, Τσόρτσιλ Churchill), μπ its b inside the word too (Φάμπρε
    # Fabre, Κουμπογιάμα Kuboyama), γι before a vowel its y (Γιοσιάκι Yoshiaki).
    foreign = re.sub(r"γι(?=[αεηιοωυ])", "y", word).replace("μπ", "b").replace("τσ", "ch")
    for greek, latin in _GREEK_DIGRAPHS_MODERN:
        foreign = foreign.replace(greek, latin)
    foreign = foreign.translate(_GREEK_MODERN).replace("tz", "j")
    raw = (
        modern,
        classical,
        anyascii_form,
        modern.replace("ch", "h"),
        modern.replace("tz", "j"),
        foreign,
    )
    forms = ("".join(c for c in form.replace("|", "") if c.isascii()) for form in raw)
    return tuple(dict.fromkeys(form for form in forms if form))


# --- Hebrew ----------------------------------------------------------------------------
_HEBREW: dict[str, tuple[str, str]] = {
    # letter: (reading as written, spirant or alternative reading)
    "א": ("", ""),
    "ב": ("b", "v"),
    "ג": ("g", "g"),
    "ד": ("d", "d"),
    "ה": ("h", "h"),
    "ז": ("z", "z"),
    "ח": ("kh", "h"),
    "ט": ("t", "t"),
    "כ": ("k", "kh"),
    "ך": ("kh", "k"),
    "ל": ("l", "l"),
    "מ": ("m", "m"),
    "ם": ("m", "m"),
    "נ": ("n", "n"),
    "ן": ("n", "n"),
    "ס": ("s", "s"),
    "ע": ("", ""),
    "פ": ("p", "f"),
    "ף": ("f", "f"),
    "צ": ("ts", "z"),
    "ץ": ("ts", "z"),
    "ק": ("k", "k"),
    "ר": ("r", "r"),
    "ש": ("sh", "s"),
    "ת": ("t", "t"),
}
_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ץ": "ch", "ת": "th", "ד": "th", "ח": "kh"}


def _hebrew_units(word: str) -> list[tuple[str, str, str]]:
    """(kind, reading, alternative): C consonant, V vowel letter."""
    units: list[tuple[str, str, str]] = []
    letters = [c for c in word if c in _HEBREW or c in "וי׳'"]
    index = 0
    while index < len(letters):
        char = letters[index]
        nxt = letters[index + 1] if index + 1 < len(letters) else ""
        if nxt in {"׳", "'"} and char in _GERESH:
            units.append(("C", _GERESH[char], _GERESH[char]))
            index += 2
            continue
        if char in {"׳", "'"}:
            index += 1
            continue
        if char == "ו":
            if nxt == "ו":
                units.append(("C", "v", "w"))
                index += 2
                continue
            if index == 0:
                units.append(("C", "v", "w"))
            else:
                units.append(("V", "o", "u"))
        elif char == "י":
            if nxt == "י":
                # Double yod: the diphthong of Haifa, Eisenbach, David's ei.
                units.append(("V", "ei", "ai"))
                index += 2
                continue
            if index == 0:
                units.append(("C", "y", "y"))
            else:
                units.append(("V", "i", "e"))
        elif char in {"א", "ע"} and nxt in {"ו", "י"} and index + 2 < len(letters):
            # Alef or ayin before a vowel letter only carries it (אוטביו Ottavio).
            pass
        elif char in {"א", "ע"} or (char == "ה" and 0 < index == len(letters) - 1):
            units.append(("V", "a", "e"))
        else:
            reading, alternative = _HEBREW[char]
            # ב, כ, פ are spirants (v, kh, f) after a vowel, stops at the start.
            if index == 0 and char in "בכפ":
                alternative = reading
            units.append(("C", reading, alternative))
        index += 1
    return units


@lru_cache(maxsize=65536)
def romanise_hebrew(token: str) -> tuple[str, ...]:
    """Letters as written (גרינספן → grinspn), with `a` between consonants, spirant forms."""
    units = _hebrew_units(token)
    if not units:
        return ()
    written = "".join(u[1] for u in units)
    spirant = "".join(u[2] for u in units)
    voweled: list[str] = []
    e_voweled: list[str] = []
    spirant_voweled: list[str] = []
    prev = ""
    for kind, reading, alternative in units:
        if kind == "C" and prev == "C":
            voweled.append("a")
            e_voweled.append("e")
            spirant_voweled.append("e")
        voweled.append(reading)
        e_voweled.append(reading)
        spirant_voweled.append(alternative)
        prev = kind
    forms = [written, "".join(voweled), "".join(e_voweled), spirant, "".join(spirant_voweled)]
    return tuple(dict.fromkeys(f for f in forms if f))


# --- Armenian ---------------------------------------------------------------------------
_WESTERN_ARMENIAN = str.maketrans(
    {"բ": "պ", "պ": "բ", "դ": "տ", "տ": "դ", "գ": "կ", "կ": "գ", "ջ": "ճ", "ճ": "ջ"}
)


@lru_cache(maxsize=65536)
def romanise_armenian(token: str) -> tuple[str, ...]:
    """Eastern (Հակոբ → hakob) and Western (hagop) Armenian Latin forms."""
    word = token.casefold().replace("ու", "u").replace("և", "եվ")
    eastern = _ascii_letters(word)
    western = _ascii_letters(word.translate(_WESTERN_ARMENIAN))
    forms = [eastern, western]
    for form in (eastern, western):
        if form.endswith("yan"):
            forms.append(form[:-3] + "ian")
        if form.startswith("e") and token.casefold().startswith("ե"):
            forms.append("ye" + form[1:])
    return tuple(dict.fromkeys(f for f in forms if f))


# --- Georgian ---------------------------------------------------------------------------
# The German transcription, common in the Latin spellings of Georgian names in German and
# in lists compiled from German sources (Dawitadse, Gabaidse, Goderdsi, Schdanow). ხ stays
# kh: German writes it ch, which the phonetic folding reads as the sh of შ, and
# Kukhashvili would meet Qurashvili.
_GEORGIAN_GERMAN = str.maketrans(
    {
        "ძ": "ds", "ხ": "kh", "ვ": "w", "ჩ": "tsch", "ჭ": "tsch", "შ": "sch", "ჟ": "sch",
        "ჯ": "dsch", "წ": "z", "ც": "z", "ზ": "s",
    }
)  # fmt: skip


@lru_cache(maxsize=65536)
def romanise_georgian(token: str) -> tuple[str, ...]:
    """National-system form without ejective marks (ყურაშვილი → qurashvili), with ყ as k
    or g, with ფ as f, in the German transcription (გაბაიძე → gabaidse), and without the
    nominative ending a foreign name takes.

    ფ is p in the national system but renders the f of foreign names (ფრიცი Fritz,
    ფატმა Fatma): Georgian has no f of its own. A foreign name ending in a consonant
    takes the nominative -ი (ერნსტი Ernst, სმიტი Smit, კარსონი Carson), which its
    own spelling does not have.
    """
    plain = _ascii_letters(token)
    with_f = _ascii_letters(token.replace("ფ", "f"))
    german = _ascii_letters(token.translate(_GEORGIAN_GERMAN))
    forms = [plain, plain.replace("q", "k"), plain.replace("q", "g"), with_f, german]
    if len(plain) > 3 and plain.endswith("i") and plain[-2] not in "aeiou":
        forms += [plain[:-1], with_f[:-1]]
    return tuple(dict.fromkeys(f for f in forms if f))


# --- Ethiopic ---------------------------------------------------------------------------
_ETHIOPIC_ORDER_VOWELS = ("e", "u", "i", "a", "e", "", "o", "wa")


def _ethiopic_syllable(char: str) -> tuple[str, int] | None:
    code = ord(char)
    if not (0x1200 <= code <= 0x137F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F):
        return None
    text = _ascii_letters(char)
    if 0x1200 <= code <= 0x135A:
        order = (code - 0x1200) % 8
        # The vowel-only rows (አ, ዐ) have no consonant of their own.
        consonant = re.sub(r"[aeiou]+$", "", text)
        if order == 7:
            return consonant, 7
        return consonant, order
    return text, -1


@lru_cache(maxsize=65536)
def romanise_ethiopic(token: str) -> tuple[str, ...]:
    """Amharic/Tigrinya Latin forms: ግርማ → girma, grma; ተስፋዬ → tesfaye, tasfaye."""
    syllables = [s for s in (_ethiopic_syllable(char) for char in token) if s is not None]
    if not syllables:
        return ()
    epenthetic: list[str] = []
    silent: list[str] = []
    first_as_a: list[str] = []
    for index, (consonant, order) in enumerate(syllables):
        last = index == len(syllables) - 1
        if order == -1:
            epenthetic.append(consonant)
            silent.append(consonant)
            first_as_a.append(consonant)
            continue
        vowel = _ETHIOPIC_ORDER_VOWELS[order]
        consonant = consonant.strip("'")  # noqa: PLW2901 - the glottal mark is not a sound
        if order == 5:
            nxt_order = syllables[index + 1][1] if not last else -1
            # The sixth order is silent at the end and before a vowel-bearing syllable
            # that can close the cluster; between consonants it is heard as i.
            epenthetic.append(consonant + ("" if last or nxt_order != 5 else "i"))
            silent.append(consonant)
            first_as_a.append(consonant + ("" if last else "i"))
        elif order == 0:
            epenthetic.append(consonant + "e")
            silent.append(consonant + "e")
            first_as_a.append(consonant + "a")
        else:
            epenthetic.append(consonant + vowel)
            silent.append(consonant + vowel)
            first_as_a.append(consonant + vowel)
    forms = ["".join(epenthetic), "".join(silent), "".join(first_as_a)]
    if syllables[0][0] == "" and syllables[0][1] in (2, 5):
        # An initial እ or ኢ is usually written E (እዮብ Eyob, እንድሪስ Endris, ኢያሱ Eyasu).
        forms += ["e" + "".join(epenthetic[1:]), "e" + "".join(silent[1:])]
    return tuple(dict.fromkeys(f for f in forms if f))


# --- Thai -------------------------------------------------------------------------------
_THAI_LEADING_VOWELS = frozenset("เแโใไ")
_THAI_FINALS = {
    "ก": "k", "ข": "k", "ค": "k", "ฆ": "k",
    "จ": "t", "ช": "t", "ซ": "t", "ฌ": "t", "ฎ": "t", "ฏ": "t", "ฐ": "t", "ฑ": "t",
    "ฒ": "t", "ด": "t", "ต": "t", "ถ": "t", "ท": "t", "ธ": "t", "ศ": "t", "ษ": "t",
    "ส": "t",
    "ญ": "n", "ณ": "n", "น": "n", "ร": "n", "ล": "n", "ฬ": "n",
    "บ": "p", "ป": "p", "พ": "p", "ฟ": "p", "ภ": "p",
}  # fmt: skip
_THAI_CANCEL = "\u0e4c"
_THAI_CONSONANT = re.compile(r"[\u0e01-\u0e2e]")


@lru_cache(maxsize=65536)
def romanise_thai(token: str) -> tuple[str, ...]:
    """Thai Latin forms (RTGS-like): ศิริพงษ์ → siriphong, siripong."""
    chars = [c for c in token if "\u0e00" <= c <= "\u0e7f"]
    # A letter under the cancellation mark is silent (พงษ์: the ษ is not read).
    kept: list[str] = []
    for index, char in enumerate(chars):
        if char == _THAI_CANCEL:
            continue
        if index + 1 < len(chars) and chars[index + 1] == _THAI_CANCEL:
            continue
        kept.append(char)
    # Leading vowels are written before the consonant they follow in speech.
    reordered: list[str] = []
    index = 0
    while index < len(kept):
        char = kept[index]
        if char in _THAI_LEADING_VOWELS and index + 1 < len(kept):
            reordered.append(kept[index + 1])
            reordered.append(char)
            index += 2
            continue
        reordered.append(char)
        index += 1
    # A syllable is onset consonant(s), a vowel (written, or the implicit o), and an
    # optional final consonant read by its final value (-k, -t, -n, -p).
    out: list[str] = []
    state = "start"  # start | onset (consonant, no vowel yet) | vowel | coda
    for index, char in enumerate(reordered):
        is_consonant = bool(_THAI_CONSONANT.match(char))
        last = index == len(reordered) - 1
        nxt = reordered[index + 1] if not last else ""
        next_is_consonant = bool(nxt) and bool(_THAI_CONSONANT.match(nxt))
        if not is_consonant:
            out.append(_ascii_letters(char))
            state = "vowel"
            continue
        if char == "อ" and state in {"start", "coda"} and not next_is_consonant and not last:
            continue  # o ang before a vowel only carries it (อัจฉรา Atchara)
        if state == "vowel" and (last or next_is_consonant):
            if char in "ยว":
                out.append("i" if char == "ย" else "o")
            else:
                out.append(_THAI_FINALS.get(char, _ascii_letters(char)))
            state = "coda"
            continue
        if state == "onset" and char not in "รลว":
            out.append("o")  # the implicit vowel of a consonant cluster (สม som)
            if last or next_is_consonant:
                out.append(_THAI_FINALS.get(char, _ascii_letters(char)))
                state = "coda"
                continue
        out.append(_ascii_letters(char))
        state = "onset"
    rtgs = "".join(out)
    forms = [
        rtgs,
        rtgs.replace("ph", "p").replace("th", "t").replace("kh", "k"),
        _ascii_letters(token),
    ]
    return tuple(dict.fromkeys(f for f in forms if f))
