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

from transliteration.rewrites import Rewrites, compile_rewrites, rewrite

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
    "ż": ("zh", "z"),  # Polish: Żukowski is Zhukovsky, Kokelaże Kokeladze
    "ź": ("zh", "z"),
    "ś": ("sh", "s"),  # Polish: Staśko, Śliwa
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
    (r"^mc", "mak"),  # McCann, MacCann
)
_COMPILED_RULES = compile_rewrites(_CONVENTION_RULES)

MAX_VARIANTS = 6
_FEMININE_ENDINGS = (
    ("ová", ""),
    ("ova", "ov"),
    ("eva", "ev"),
    ("ina", "in"),
    ("skaya", "skiy"),
    ("ska", "ski"),
)


_CENTRAL_ASIAN_SUFFIX = re.compile(r"(?<=[a-z]{4})(?:jon|xon)$")
_SCANDINAVIAN_SOFT_G = re.compile(r"g[öäø]|gj[aeiouyöäøå]")
_LATVIAN_NOMINATIVE = re.compile(r"(?:[^aeiouycsz]s|ss)$")  # not Hungarian cs, zs


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
    # Feminine family names: Czech and Slovak add -ová even to foreign names (Clarková),
    # Slavic names end -ova, -eva, -ina, -ska where a father's or brother's end -ov, -ev,
    # -in, -ski. In family tracing both spell the family's name.
    for suffix, masculine in _FEMININE_ENDINGS:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            stem = strip_to_ascii(token[: -len(suffix)])
            variants.append(stem + masculine)
            if suffix == "ová":
                # Castro, Navarro: the masculine's final o gives way to -ová.
                variants.append(stem + "o")
            break
    # Swedish and Norwegian g before a front vowel is a y (Göran Йоран, Gösta Йоста,
    # Gjertrud): other scripts write the sound. Turkish gö is a hard g, which the plain
    # form keeps.
    if _SCANDINAVIAN_SOFT_G.match(token):
        variants.append("y" + strip_to_ascii(token[2 if token.startswith("gj") else 1 :]))
    # Uzbek and Tajik names take an endearing -jon (boys) or -xon (girls) that the same
    # child's other records leave off: Iqboljon Iqbol, Masturaxon Mastura.
    endearing = _CENTRAL_ASIAN_SUFFIX.search(base)
    if endearing:
        variants.append(base[: endearing.start()])
    # Latvian gives foreign masculine names its nominative -s (Ernsts, Olsens, Perkinss,
    # Harisons), which the name's other spellings do not have.
    if _LATVIAN_NOMINATIVE.search(base) and len(base) >= 5:
        variants.append(base[:-1])
    for pattern, repl in _COMPILED_RULES:
        if len(variants) >= MAX_VARIANTS:
            break
        changed = pattern.sub(repl, base)
        if changed != base and changed:
            variants.append(changed)
    spellings = list(dict.fromkeys(v for v in variants if v))[:MAX_VARIANTS]
    # How the name sounds, read by the orthographies that most foreign names in other
    # scripts come from: the other script wrote the sound, not the letters (Blake is
    # блейк, Kyle кайл, Rouanet руане, Mujica мухика, Giovanni ジョヴァンニ).
    spellings.extend(pronunciations(base))
    return tuple(dict.fromkeys(spellings))


def east_asian_readings(ascii_token: str) -> tuple[str, ...]:
    """An English name as Chinese, Japanese and Korean transcriptions hear it.

    They have no th-sound and write an s (Matthew マシュー mashu, Dorothy 多萝西
    duoluoxi, Ethan 伊桑 yisang), and they follow non-rhotic English, without the r
    after a vowel (Turner 特纳 te-na, Norma 诺玛, Hurst 赫斯特 he-si-te). Other scripts'
    writers do neither, and there these readings only make look-alikes meet.
    """
    readings = []
    if "th" in ascii_token:
        readings.append(re.sub(r"t?th", "s", ascii_token))
    if _NON_RHOTIC_R.search(ascii_token):
        readings.append(_NON_RHOTIC_R.sub("", ascii_token))
        if "th" in ascii_token:
            readings.append(_NON_RHOTIC_R.sub("", readings[0]))
    return tuple(r for r in dict.fromkeys(readings) if r and r != ascii_token)


_NON_RHOTIC_R = re.compile(r"(?<=[aeiouy])r+(?=[^aeiouyr]|$)")


# Spelling-to-sound rules of the orthographies foreign names most often come from, each an
# ordered list of rewrites on lower-case ASCII; the result is spelt the way the other
# scripts' romanisations spell sounds (sh, ch, kh, j, y).
_PRONUNCIATION_RULES: dict[str, Rewrites] = {
    language: compile_rewrites(rules)
    for language, rules in {
        "english": (
            (r"ch(?=ae)", "k"),
            (r"ae|ai(?=[^aeiou]|$)", "ei"),
            (r"igh", "ai"),
            (r"^mc", "mak"),
            (r"^geo(?=[^aeiou])", "jo"),  # George, Georgina, Geoffrey
            # The short u of a closed syllable sounds a (Buckley, Duncan, Hunter, Russell).
            (r"(?<=[^aeiou])u(?=ck|[bcdfgmnpstz]{2}|[bcdfgmnpstz]$)", "a"),
            (r"g(?=e[^aeiou]*$|i[^aeiou])", "j"),
            # Lewis, Stewart, Newbery, Matthew: Льюис, Стюарт, Ньюбери, Мэтью.
            (r"ew", "yu"),
            (r"ow$", "ou"),
            (r"(?<=[^aeiou])y$", "i"),
            (r"^y(?=[^aeiou])", "i"),
            (r"ey$|ay$", "ei"),
            # A hard c is k before the vowels are respelled (Scales: skeils, not seils).
            (r"c(?![eiyh])", "k"),
            (r"c(?=[eiy])", "s"),  # Beatrice, Bryce, Lucy, Cecil
            (r"a(?=[bcdfgklmnpstvz]e(s|$))", "ei"),
            (r"(?<=[^aeiou])(?:i|y)(?=[bcdfgklmnpstvz]e(s|$))", "ai"),
            (r"o(?=[bcdfgklmnpstvz]e(s|$))", "ou"),
            (r"(?<=[^aeiou])e(s?)$", r"\1"),
            (r"ea|ee", "i"),
            (r"oa", "o"),
            (r"au|aw", "o"),
            (r"tth|th", "t"),
            (r"wh", "w"),
            (r"tion", "shn"),
        ),
        "french": (
            (r"eaux?$", "o"),
            (r"eau", "o"),
            (r"oi", "ua"),
            (r"ou", "u"),
            (r"au", "o"),
            (r"ier$", "ie"),
            (r"(?<=[aeiou])(?:t|d|s|x|z)$", ""),
            (r"(?<=[aeiou][nmr])[dt]s?$", ""),
            (r"(?<=[^aeiou])e$", ""),
            (r"(?<=[^i])er$", "e"),
            (r"gn", "ny"),
            (r"qu", "k"),
            (r"ch", "sh"),
            (r"j|g(?=[ei])", "zh"),
            (r"^h", ""),
        ),
        "spanish": (
            (r"j|g(?=[ei])", "kh"),
            (r"ll", "y"),
            (r"qu", "k"),
            (r"gu(?=[ei])", "g"),
            (r"c(?=[ei])|z", "s"),
            (r"^h", ""),
        ),
        "german": (
            (r"sch", "sh"),
            (r"tsch", "ch"),
            (r"ei", "ai"),
            (r"eu|äu", "oi"),
            (r"ie", "i"),
            (r"ch", "kh"),
            (r"j", "y"),
            (r"z", "ts"),
            (r"w", "v"),
            (r"(?<=[aeiou])h(?=[^aeiou]|$)", ""),
        ),
        "italian": (
            (r"sc(?=[ei])", "sh"),
            (r"c(?=[ei])", "ch"),
            (r"ci(?=[aou])", "ch"),
            (r"g(?=[ei])", "j"),
            (r"gi(?=[aou])", "j"),
            (r"gn", "ny"),
            (r"gh", "g"),
            (r"zz|z", "ts"),
        ),
    }.items()
}


@lru_cache(maxsize=65536)
def pronunciations(ascii_token: str) -> tuple[str, ...]:
    """The token read by English, French, Spanish, German and Italian spelling rules.

    blake → bleik; kyle → kail; rouanet → ruane; mujica → mukhika; giovanni → jovanni.
    Only readings that differ from the spelling are returned.
    """
    readings = (rewrite(ascii_token, rules) for rules in _PRONUNCIATION_RULES.values())
    return tuple(dict.fromkeys(r for r in readings if r and r != ascii_token))


# The phonetic folding: ordered rewrites on lower-case ASCII. The order matters: `x` is
# first spelled out as `ks` so that it can then stand for the sh-sound.
_FOLD_RULES = compile_rewrites(
    (
        (r"[^a-z]", ""),
        (r"x", "ks"),
        (r"dzh|dsch|dz|dj|zh|jh", "j"),
        (r"t?sch|tch|tsh|sh|ch|sj|sz|cz|ş", "x"),
        # A final h after a vowel is silent (Fatimah, Aminah), but not the h of a final
        # kh (Shahrukh, Sheikh: the Arabic خ is written), so it goes first.
        (r"(?<=[aeiou])h$", ""),
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"gh", "g"),
        (r"bh", "b"),
        (r"ck|q|c(?![eiy])|k", "k"),
        (r"c", "s"),
        (r"w", "v"),
        (r"y", "i"),
        (r"ou|oo|uu", "u"),
        (r"ee|ii", "i"),
        (r"aa", "a"),
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
    return rewrite(ascii_form, _FOLD_RULES)


def vowel_agnostic(folded: str) -> str:
    """The folded form with every run of vowels written `a`: where vowels are, not which."""
    return _VOWEL_RUN.sub("a", folded)


def consonant_skeleton(folded: str) -> str:
    """The folded form without its vowels: what vowel-less scripts (Arabic, Hebrew) write."""
    return _VOWEL_RUN.sub("", folded)
