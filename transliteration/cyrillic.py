"""Romanisation of names in Cyrillic script by the conventions people actually use.

One Russian name reaches Latin script as Aleksandr (English), Alexander (passport
spelling of older days), Aleksander (Polish), Alexandre (French); a Ukrainian name as
Oleksandr, with г as h and и as y. Each convention family gives one candidate:

- `english`: BGN/PCGN-like, the usual English-language spelling (х kh, ж zh, й y);
- `passport`: ye/yo/yu/ya, ks as x (Alexander, Yelena);
- `ukrainian`: г h, и y, і i, ї yi, є ye (Mykola, Oleksandr); also Belarusian ў w;
- `german`: w, sch, tsch, ch, j (Wladimir, Juschtschenko);
- `french`: ou, ch, j, tch (Vladimir Oulianov, Tchaïkovski);
- `slavic_latin`: Serbian/Croatian and Czech letters (č, š, ž, c, j, h) as plain ASCII.

Serbian and Macedonian letters (ђ ј љ њ ћ џ ѓ ќ ѕ) and Bulgarian щ/ъ have their readings.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CONVENTIONS = ("english", "passport", "ukrainian", "german", "french", "slavic_latin")

# letter: readings per convention, in the order of _CONVENTIONS.
_LETTERS: dict[str, tuple[str, str, str, str, str, str]] = {
    "а": ("a", "a", "a", "a", "a", "a"),
    "б": ("b", "b", "b", "b", "b", "b"),
    "в": ("v", "v", "v", "w", "v", "v"),
    "г": ("g", "g", "h", "g", "g", "g"),
    "ґ": ("g", "g", "g", "g", "g", "g"),
    "д": ("d", "d", "d", "d", "d", "d"),
    "е": ("e", "e", "e", "e", "e", "e"),
    "ё": ("yo", "yo", "yo", "jo", "io", "e"),
    "є": ("ye", "ye", "ye", "je", "ie", "je"),
    "ж": ("zh", "zh", "zh", "sch", "j", "z"),
    "з": ("z", "z", "z", "s", "z", "z"),
    "и": ("i", "i", "y", "i", "i", "i"),
    "і": ("i", "i", "i", "i", "i", "i"),
    "ї": ("yi", "yi", "yi", "ji", "ii", "ji"),
    "й": ("y", "y", "y", "j", "i", "j"),
    "ј": ("j", "y", "j", "j", "y", "j"),
    "к": ("k", "k", "k", "k", "k", "k"),
    "л": ("l", "l", "l", "l", "l", "l"),
    "љ": ("lj", "ly", "lj", "lj", "lj", "lj"),
    "м": ("m", "m", "m", "m", "m", "m"),
    "н": ("n", "n", "n", "n", "n", "n"),
    "њ": ("nj", "ny", "nj", "nj", "gn", "nj"),
    "о": ("o", "o", "o", "o", "o", "o"),
    "п": ("p", "p", "p", "p", "p", "p"),
    "р": ("r", "r", "r", "r", "r", "r"),
    "с": ("s", "s", "s", "s", "s", "s"),
    "т": ("t", "t", "t", "t", "t", "t"),
    "ћ": ("ch", "c", "ch", "tsch", "tch", "c"),
    "ђ": ("dj", "dj", "dj", "dj", "dj", "d"),
    "у": ("u", "u", "u", "u", "ou", "u"),
    "ў": ("w", "u", "w", "w", "ou", "u"),
    "ф": ("f", "f", "f", "f", "f", "f"),
    "х": ("kh", "h", "kh", "ch", "kh", "h"),
    "ц": ("ts", "ts", "ts", "z", "ts", "c"),
    "ч": ("ch", "ch", "ch", "tsch", "tch", "c"),
    "џ": ("dzh", "dzh", "dzh", "dsch", "dj", "dz"),
    "ш": ("sh", "sh", "sh", "sch", "ch", "s"),
    "щ": ("shch", "shch", "shch", "schtsch", "chtch", "sc"),
    "ъ": ("", "", "", "", "", ""),
    "ы": ("y", "y", "y", "y", "y", "y"),
    "ь": ("", "", "", "", "", ""),
    "э": ("e", "e", "e", "e", "e", "e"),
    "ю": ("yu", "yu", "yu", "ju", "iou", "ju"),
    "я": ("ya", "ya", "ya", "ja", "ia", "ja"),
    "ѓ": ("gj", "g", "gj", "gj", "gj", "g"),
    "ќ": ("kj", "k", "kj", "kj", "kj", "k"),
    "ѕ": ("dz", "dz", "dz", "dz", "dz", "dz"),
    # Kazakh, Uzbek, Tajik, Kyrgyz, Bashkir and Tatar letters.
    "ә": ("a", "a", "a", "ae", "a", "a"),
    "қ": ("q", "k", "q", "k", "k", "k"),
    "ғ": ("gh", "g", "gh", "gh", "gh", "g"),
    "ң": ("ng", "n", "ng", "ng", "ng", "n"),
    "ө": ("o", "o", "o", "oe", "eu", "o"),
    "ұ": ("u", "u", "u", "u", "ou", "u"),
    "ү": ("u", "u", "u", "ue", "u", "u"),
    "һ": ("h", "h", "h", "h", "h", "h"),
    "ҳ": ("h", "kh", "h", "h", "h", "h"),
    "ҷ": ("j", "dzh", "j", "dsch", "dj", "dz"),
    "ӣ": ("i", "i", "i", "i", "i", "i"),
    "ӯ": ("u", "u", "u", "u", "ou", "u"),
}
_VOWELS = frozenset("аеёєиіїоуыэюяѐѝ")
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_FEMININE_ENDINGS = (
    ("ова", "ов"),
    ("ева", "ев"),
    ("ёва", "ёв"),
    ("ина", "ин"),
    ("ская", "ский"),
    ("цкая", "цкий"),
    ("ая", "ий"),
)
_BULGARIAN_HINTS = frozenset("ъщ")


def _render(word: str, convention: str) -> str:
    column = _CONVENTIONS.index(convention)
    out: list[str] = []
    for index, char in enumerate(word):
        reading = _LETTERS.get(char)
        if reading is None:
            continue
        value = reading[column]
        prev = word[index - 1] if index else ""
        # Passport-style spellings write е as ye at the start and after a vowel (Yelena,
        # Sergeyev).
        if (
            char == "е"
            and convention == "passport"
            and (index == 0 or prev in _VOWELS or (prev and prev in "ьъ"))
        ):
            value = "ye"
        if char == "ъ" and word[index + 1 : index + 2] and word[index + 1] not in _VOWELS:
            # Bulgarian ъ is a vowel (Ъ in Тъпков is the a of Tapkov).
            value = "a"
        if char == "щ" and (_BULGARIAN_HINTS & set(word)) - {"щ"}:
            value = "sht"
        if char == "к" and convention == "passport" and word[index + 1 : index + 2] == "с":
            value = "x"
            out.append(value)
            continue
        if char == "с" and convention == "passport" and prev == "к":
            continue
        if char == "и" and convention == "english" and prev and prev in "ьъ":
            value = "yi"
        out.append(value)
    return "".join(out)


@lru_cache(maxsize=65536)
def romanise_cyrillic(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of one Cyrillic token, the English-style spelling first.

    A token with Ukrainian letters (і ї є ґ) puts the Ukrainian spelling first
    (олександр → oleksandr).
    """
    word = token.casefold()
    conventions = list(_CONVENTIONS)
    if _UKRAINIAN_LETTERS & set(word):
        conventions.remove("ukrainian")
        conventions.insert(0, "ukrainian")
    forms = [_render(word, convention) for convention in conventions]
    # A feminine family name (Иванова, Ковалевская) also in its masculine form: mother
    # and son share the family name that the two forms spell.
    for suffix, masculine in _FEMININE_ENDINGS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            forms.append(_render(word[: -len(suffix)] + masculine, conventions[0]))
            break
    # Russian writes an English w as у before a vowel (Уиллис Willis, Суини Sweeney,
    # Коуэн Cowan, Уолтер Walter).
    if _W_AS_U.search(word):
        forms.append("w".join(_render(piece, "english") for piece in _W_AS_U.split(word)))
    return tuple(dict.fromkeys(form for form in forms if form))


_W_AS_U = re.compile(r"у(?=[иоэаеі])")
