"""Romanisation of names in Arabic script: Arabic, Persian, Dari, Pashto, Urdu, Kurdish.

The script writes consonants and long vowels; short vowels are usually left out, so one
written name has many readings (محمد: Muhammad, Mohamed, Mehmet). Rather than guess one,
this module gives a few candidate Latin forms, each following a family of conventions:

- `skeleton`: consonants and long vowels only (`mhmd`, `hsyn`), for comparison by
  consonant skeleton and by containment (a Latin spelling adds short vowels);
- `arabic`: English-style Arabic romanisation with `a` put between consonants
  (`mahamad`), so that vowel-agnostic comparison sees where vowels are;
- `levant_egypt`: ج as g, ث as s, ذ/ظ/ض as z/d, ق as ' or g (Gamal, Hazem);
- `persian_turkic`: و as v, ث/ص as s, ذ/ض/ظ as z, with `e` as the default short vowel
  (Mehdi, Vahid, Zahra);
- `maghreb_french`: ش as ch, و as ou, ج as dj (Chérif, Mouloud, Djamel).

Tokens starting with the article ال (al-, el-, ad-, ash-…) and compounds with عبد
(Abd al-Rahman, Abdul Rahman, Abdurrahman) are recognised here, because only the
native script tells reliably that a token carries an article.
"""

from __future__ import annotations

from functools import lru_cache

# Consonant readings per convention: (arabic, levant_egypt, persian_turkic, maghreb_french).
_CONSONANTS: dict[str, tuple[str, str, str, str]] = {
    "ب": ("b", "b", "b", "b"),
    "پ": ("p", "p", "p", "p"),
    "ت": ("t", "t", "t", "t"),
    "ٹ": ("t", "t", "t", "t"),
    "ټ": ("t", "t", "t", "t"),
    "ث": ("th", "s", "s", "th"),
    "ج": ("j", "g", "j", "dj"),
    "چ": ("ch", "ch", "ch", "tch"),
    "ح": ("h", "h", "h", "h"),
    "خ": ("kh", "kh", "kh", "kh"),
    "د": ("d", "d", "d", "d"),
    "ڈ": ("d", "d", "d", "d"),
    "ډ": ("d", "d", "d", "d"),
    "ذ": ("dh", "z", "z", "dh"),
    "ر": ("r", "r", "r", "r"),
    "ڑ": ("r", "r", "r", "r"),
    "ړ": ("r", "r", "r", "r"),
    "ڕ": ("r", "r", "r", "r"),
    "ز": ("z", "z", "z", "z"),
    "ژ": ("zh", "zh", "zh", "j"),
    "ږ": ("zh", "g", "zh", "j"),
    "س": ("s", "s", "s", "s"),
    "ش": ("sh", "sh", "sh", "ch"),
    "ښ": ("sh", "kh", "sh", "ch"),
    "ص": ("s", "s", "s", "s"),
    "ض": ("d", "d", "z", "d"),
    "ط": ("t", "t", "t", "t"),
    "ظ": ("z", "z", "z", "dh"),
    "ع": ("", "", "", ""),
    "غ": ("gh", "gh", "gh", "gh"),
    "ف": ("f", "f", "f", "f"),
    "ڤ": ("v", "v", "v", "v"),
    "ق": ("q", "k", "gh", "k"),
    "ك": ("k", "k", "k", "k"),
    "ک": ("k", "k", "k", "k"),
    "ڪ": ("k", "k", "k", "k"),
    "گ": ("g", "g", "g", "g"),
    "ګ": ("g", "g", "g", "g"),
    "ڭ": ("ng", "ng", "ng", "ng"),
    "ل": ("l", "l", "l", "l"),
    "ڵ": ("l", "l", "l", "l"),
    "م": ("m", "m", "m", "m"),
    "ن": ("n", "n", "n", "n"),
    "ں": ("n", "n", "n", "n"),
    "ڼ": ("n", "n", "n", "n"),
    "ځ": ("z", "z", "dz", "z"),
    "څ": ("s", "s", "ts", "s"),
    "ه": ("h", "h", "h", "h"),
    "ھ": ("h", "h", "h", "h"),
    "ہ": ("h", "h", "h", "h"),
}
_CONVENTIONS = ("arabic", "levant_egypt", "persian_turkic", "maghreb_french")
_DEFAULT_SHORT_VOWEL = {
    "arabic": "a",
    "levant_egypt": "a",
    "persian_turkic": "e",
    "maghreb_french": "a",
}
_W_READINGS = {"arabic": "w", "levant_egypt": "w", "persian_turkic": "v", "maghreb_french": "w"}
_U_READINGS = {"arabic": "u", "levant_egypt": "o", "persian_turkic": "u", "maghreb_french": "ou"}
_I_READINGS = {"arabic": "i", "levant_egypt": "i", "persian_turkic": "i", "maghreb_french": "i"}
_MEDIAL_Y_READINGS = {
    "arabic": "i",
    "levant_egypt": "ay",
    "persian_turkic": "ei",
    "maghreb_french": "i",
}
_TEH_MARBUTA = ("ة", "ۀ", "ۃ", "ۂ")  # Arabic, Persian, and Urdu (فاضلۃ Fazila)
_ALEFS = frozenset("اأإآٱٲٳ")
_WAWS = frozenset("وؤۆۇۉ")
_YEHS = frozenset("يىیئېێۍےۓ")
_E_LETTERS = frozenset("ەێې")
_HAMZA = frozenset("ء")
_FINAL_VOWEL_HEHS = frozenset("هہە")
_DIGRAPH_FORMERS = frozenset("sktdgjzcp")
# Sun letters assimilate the l of the article: ar-Rahman, as-Sayyid, ad-Din.
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")


def _units(word: str) -> list[tuple[str, str]]:
    """Split a word into (kind, letter) units: C consonant, V long vowel, S semivowel."""
    units: list[tuple[str, str]] = []
    for index, char in enumerate(word):
        prev_kind = units[-1][0] if units else ""
        nxt = word[index + 1] if index + 1 < len(word) else ""
        if char in _ALEFS:
            units.append(("A", char))
        elif char in _WAWS or char in _YEHS:
            if char in _E_LETTERS or char in "ے":
                units.append(("V", char))
            elif index == 0 or nxt in _ALEFS or (char in _WAWS and nxt in _YEHS):
                # Initial, or before alef: a consonant (Wahid, Yasin, Nahyan, Diwan);
                # waw before yeh too (Parviz, Khosrow's Persian v).
                units.append(("S", char))
            elif prev_kind == "A" and index > 1 and nxt and nxt not in _ALEFS:
                # After a medial alef and before a letter: a glide (Dawud, Sayid: a-w, a-y).
                units.append(("S", char))
            else:
                # Otherwise a long vowel, also after an initial alef (Omar, Olmert, Iran)
                # and next to another vowel letter (Teodora, Fujioka).
                units.append(("V", char))
        elif char in _HAMZA:
            continue
        elif char in _TEH_MARBUTA:
            units.append(("T", char))
        elif char in _CONSONANTS:
            units.append(("C", char))
        elif char == "ۆ":
            units.append(("V", char))
    return units


def _render(units: list[tuple[str, str]], convention: str, with_short_vowels: bool) -> str:
    short = _DEFAULT_SHORT_VOWEL[convention] if with_short_vowels else ""
    out: list[str] = []
    prev = ""
    for index, (kind, char) in enumerate(units):
        last = index == len(units) - 1
        if kind == "C":
            if char in _FINAL_VOWEL_HEHS and last and index > 0 and (prev == "C" or char == "ہ"):
                # A final heh after a consonant is usually the vowel a/e (Fatimah, Zohre).
                out.append("a" if convention != "persian_turkic" else "e")
                prev = "V"
                continue
            if prev == "C" and out and short:
                out.append(short)
            cons = _CONSONANTS[char][_CONVENTIONS.index(convention)]
            if cons == "h" and not short and out and out[-1][-1:] in _DIGRAPH_FORMERS:
                # s+h, k+h, j+h… would read as one sound (sh, kh): a writer puts the
                # vowel between them (Jahromi, Eshagh, Mohammad-Taher).
                out.append("a")
            if char == "ع" and prev == "":
                # An initial ayn carries the vowel people write (Ali, Omar, Abbas).
                cons = "a"
            elif char == "ع" and with_short_vowels and prev == "C":
                cons = "" if last else "a"
            out.append(cons)
            prev = "C" if cons else prev
        elif kind == "A":
            if index == 0:
                nxt = units[1][0] if len(units) > 1 else ""
                # Initial alef carries a short vowel: a, i or u (Ahmad, Ibrahim, Usama);
                # Persian and Turkic spellings write it e (Esmail, Ebrahim).
                if nxt == "V":
                    out.append("")
                elif char == "إ":
                    out.append("i")
                else:
                    out.append("e" if convention == "persian_turkic" else "a")
            else:
                out.append("a")
            prev = "V"
        elif kind == "S":
            if char in _WAWS:
                out.append(_W_READINGS[convention])
            else:
                out.append("y")
            if prev == "C" and short and out[-2:-1] != [short]:
                out.insert(len(out) - 1, short)
            prev = "C"
        elif kind == "V":
            if char in _WAWS:
                out.append(_U_READINGS[convention] if with_short_vowels or index else "u")
            elif char in _E_LETTERS or char in "ے":
                out.append("e")
            elif char == "ى" and last:
                # Alef maqsura: the long a of Mustafa, Musa, Layla in Arabic; Persian and
                # Urdu text often has it for a final yeh (Ansari, Mehdi).
                out.append("a" if convention in {"arabic", "levant_egypt"} else "i")
            elif not last and prev == "C" and with_short_vowels:
                # Between consonants yeh is a long i (Karim) or the diphthong ay/ei
                # (Zayd, Khayr, Hossein, Zeinab): conventions differ on which to write.
                out.append(_MEDIAL_Y_READINGS[convention])
            else:
                out.append(_I_READINGS[convention])
            prev = "V"
        elif kind == "T":
            out.append("a" if convention != "persian_turkic" else "e")
            prev = "V"
    return "".join(out)


#: After ال, a bare alef may begin a name (الان Alan, الاء Alaa); an alef with hamza or
#: madda begins the stem of an article (الأيوبي al-Ayyubi, الإدريسي al-Idrisi, الآغا).
_STEM_ALEFS = frozenset("أإآ")


def _strip_article(word: str) -> tuple[str, str]:
    """(article, stem) for a word beginning with ال (not a name like الياس, Elias)."""
    if (
        len(word) >= 4
        and word.startswith("ال")
        and (word[2] not in _ALEFS or word[2] in _STEM_ALEFS)
        and word[2:] != "له"
    ):
        return "ال", word[2:]
    return "", word


def _romanise_word(word: str) -> list[str]:
    if len(word) > 5 and word.endswith("الله"):
        # Names ending in Allah (Farajollah, Habibullah, Rahmatallah).
        stem_forms = _romanise_word(word[:-4])
        endings = ("ullah", "allah")
        return [f"{stem}{ending}" for stem in stem_forms[:5] for ending in endings]
    units = _units(word)
    if not units:
        return []
    forms = [
        _render(units, "arabic", with_short_vowels=False),
        _render(units, "persian_turkic", with_short_vowels=False),
    ]
    # Foreign names written in Arabic letters use waw and yeh for vowels even where
    # Arabic would read a glide (مورهاوس Moorhouse, جويل Joel).
    glides_as_vowels = [
        ("V", char) if kind == "S" and index else (kind, char)
        for index, (kind, char) in enumerate(units)
    ]
    if glides_as_vowels != units:
        forms.append(_render(glides_as_vowels, "arabic", with_short_vowels=False))
    first = units[0][1]
    if len(units) > 1 and units[1][0] == "C" and (first == "ع" or first in "اأ"):
        # The vowel of an initial ayn or alef is not written: a (Ahmad, Ali), but as
        # often u or o (Omar, Osama, Uday, Othman) and, but for hamza above, i (Imad).
        rest = forms[0][1:]
        vowels = "ou" if first == "أ" else "oui"
        forms += [vowel + rest for vowel in vowels]
    for convention in _CONVENTIONS:
        forms.append(_render(units, convention, with_short_vowels=True))
    diphthong = next(
        (
            index
            for index in range(1, len(units) - 1)
            if units[index] == ("V", "و")
            and units[index - 1][0] == "C"
            and units[index + 1][0] == "C"
        ),
        0,
    )
    if diphthong:
        # A waw between consonants is a long u or o (Yusuf, Mohsen), but also the
        # diphthong aw of Shawkat, Awni, Lawson: written as a glide, the vowel inserted.
        glide = [*units[:diphthong], ("S", "و"), *units[diphthong + 1 :]]
        forms.append(_render(glide, "levant_egypt", with_short_vowels=False))
    if (
        len(units) > 2
        and units[0][0] == "A"
        and units[0][1] != "إ"
        and units[1][0] == "V"
        and units[1][1] in _YEHS
    ):
        # After an initial alef a yeh is a long i (ايران Iran) or the glide of "ay"
        # (أيمن Ayman, أيوب Ayyub, الأيوبي al-Ayyubi): both are read.
        glide = [units[0], ("S", units[1][1]), *units[2:]]
        forms += [_render(glide, "arabic", with_short_vowels=v) for v in (False, True)]
    return forms


@lru_cache(maxsize=65536)
def romanise_arabic(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of one Arabic-script token, most likely first.

    The first form is the written skeleton (consonants and long vowels); then one form per
    convention family (see module docstring). A token with the article gives its stem's
    forms too (الحوسني → hwsny, ..., alhwsny); a compound with عبد is rendered
    `abdal` + stem (عبدالرحمن → abdalrahman), the spelling `canonical` name tokens use.
    """
    word = "".join(
        char
        for char in token
        if char in _CONSONANTS
        or char in _ALEFS
        or char in _WAWS
        or char in _YEHS
        or char in _TEH_MARBUTA
        or char == "ء"
    )
    if not word:
        return ()
    forms: list[str] = []
    if word.startswith("عبد") and len(word) > 4:
        article, stem = _strip_article(word[3:])
        stem_forms = _romanise_word(stem)
        if article or word[3:] in {"الله", "اله"}:
            if word[3:] in {"الله", "اله"}:
                stem_forms = ["lah", "llah"]
            forms.extend("abdal" + form for form in stem_forms)
            forms.extend("abdul" + form for form in stem_forms[:1])
            return tuple(dict.fromkeys(forms))
        forms.extend("abd" + form for form in stem_forms[:1])
    article, stem = _strip_article(word)
    if article:
        stem_forms = _romanise_word(stem)
        forms.extend(stem_forms)
        forms.extend("al" + form for form in stem_forms[:2])
    else:
        forms.extend(_romanise_word(word))
    return tuple(dict.fromkeys(form for form in forms if form))


def has_article(token: str) -> bool:
    """Whether an Arabic-script token starts with the article ال (الحسن, not الياس)."""
    return bool(_strip_article(token)[0])
