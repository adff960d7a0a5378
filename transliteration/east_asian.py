"""Romanisation of Japanese kana, Korean Hangul and Chinese characters.

- Kana: Hepburn, with the long-vowel mark and doubled consonants, plus the spelling of a
  foreign name written in katakana as its owner writes it (ウィルキンス: Hepburn
  `uirukinsu`, foreign `wirkins`): the vowels katakana adds after consonants dropped and
  r read as l.
- Hangul: Revised Romanisation, McCune-Reischauer-like forms, and the established
  spellings of common family names (김 Kim, 이 Lee, 박 Park).
- Han: pinyin (through anyascii's Mandarin readings), Wade-Giles-like forms, and the
  reduced form of a foreign name transcribed into Chinese characters (斯维尼 si-wei-ni:
  `sweini`), where syllables such as si, te, ke stand for a lone consonant.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_KANA_SYLLABLES: dict[str, str] = {}
_KANA_ROWS = {
    "": "あいうえお",
    "k": "かきくけこ",
    "g": "がぎぐげご",
    "s": "さしすせそ",
    "z": "ざじずぜぞ",
    "t": "たちつてと",
    "d": "だぢづでど",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "m": "まみむめも",
    "r": "らりるれろ",
}
for _consonant, _row in _KANA_ROWS.items():
    for _vowel, _kana in zip("aiueo", _row, strict=True):
        _KANA_SYLLABLES[_kana] = _consonant + _vowel
_KANA_SYLLABLES.update(
    {
        "し": "shi",
        "ち": "chi",
        "つ": "tsu",
        "ふ": "fu",
        "じ": "ji",
        "ぢ": "ji",
        "づ": "zu",
        "や": "ya",
        "ゆ": "yu",
        "よ": "yo",
        "わ": "wa",
        "ゐ": "i",
        "ゑ": "e",
        "を": "o",
        "ん": "n",
        "ゔ": "vu",
        "ぁ": "a",
        "ぃ": "i",
        "ぅ": "u",
        "ぇ": "e",
        "ぉ": "o",
        "ゃ": "ya",
        "ゅ": "yu",
        "ょ": "yo",
        "ゎ": "wa",
    }
)
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWELS = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}
_KATAKANA_OFFSET = 0x60


def _to_hiragana(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if 0x30A1 <= code <= 0x30F6:
            out.append(chr(code - _KATAKANA_OFFSET))
        elif char == "ヴ":
            out.append("ゔ")
        else:
            out.append(char)
    return "".join(out)


def _kana_syllables(text: str) -> list[str]:
    """Hepburn syllables; the long-vowel mark is an empty syllable marked '-'."""
    syllables: list[str] = []
    double_next = False
    for char in _to_hiragana(text):
        if char in "っ":
            double_next = True
            continue
        if char in "ー〜":
            syllables.append("-")
            continue
        if char in _SMALL_Y and syllables and syllables[-1].endswith("i"):
            base = syllables.pop()[:-1]
            # shi + ya = sha, chi + yu = chu, ji + yo = jo; ki + ya = kya.
            syllables.append(base + ("" if base in {"sh", "ch", "j"} else "y") + _SMALL_Y[char])
            continue
        if char in _SMALL_VOWELS and syllables and syllables[-1] not in {"-", "n"}:
            base = syllables.pop()
            consonant = re.sub(r"[aiueo]+$", "", base) or ""
            if base in {"u", "vu"}:
                consonant = "w" if base == "u" else "v"
            if base in {"te", "de"} and _SMALL_VOWELS[char] == "i":
                consonant = base[0]
            if base in {"to", "do"} and _SMALL_VOWELS[char] == "u":
                consonant = base[0]
            syllables.append(consonant + _SMALL_VOWELS[char])
            continue
        syllable = _KANA_SYLLABLES.get(char)
        if syllable is None:
            continue
        if double_next and syllable[0] not in "aiueo":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        syllables.append(syllable)
    return syllables


_DEVOICED = re.compile(r"(?<=[kgszjtdhfbpmrv])u(?=[kgszjtdhfbpmrv]|$)|(?<=[td])o(?=[kgsztdhfbpmr]|$)")


@lru_cache(maxsize=65536)
def romanise_kana(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of a kana token: Hepburn first, then the foreign-name forms.

    はしだ → hashida; ハッサン → hassan; ジョージ → joji, jouji; ウィルキンス →
    uirukinsu… and wirukinsu, wirkins, wilkins.
    """
    syllables = _kana_syllables(token)
    if not syllables:
        return ()
    plain = "".join(s for s in syllables if s != "-")
    long_vowels = "".join(
        (syllables[i - 1][-1] if syllables[i - 1][-1:] in {"a", "i", "e"} else "u")
        if s == "-" and i > 0
        else s
        for i, s in enumerate(syllables)
        if s != "-" or i > 0
    )
    # Katakana writes a lone consonant with a vowel after it (ク for k); drop it.
    foreign = plain[:1] + _DEVOICED.sub("", plain[1:])
    # ン before a labial is m (ヘンペル Hempel, ムハンマド Muhammad).
    foreign = re.sub(r"n(?=[bpm])", "m", foreign)
    forms = [plain, long_vowels, foreign, foreign.replace("r", "l")]
    if plain.startswith("ui"):
        forms.append("w" + plain[1:])
    return tuple(dict.fromkeys(form for form in forms if form))


# Common Korean family names with the spellings their bearers use, not the RR form.
_KOREAN_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim",),
    "이": ("lee", "yi", "rhee"),
    "리": ("lee", "ri"),
    "박": ("park", "pak", "bak"),
    "최": ("choi", "choe"),
    "정": ("jung", "jeong", "chung"),
    "강": ("kang",),
    "조": ("cho", "jo"),
    "윤": ("yoon", "yun"),
    "장": ("jang", "chang"),
    "임": ("lim", "im"),
    "림": ("lim", "rim"),
    "한": ("han",),
    "오": ("oh", "o"),
    "서": ("seo", "suh"),
    "신": ("shin", "sin"),
    "권": ("kwon", "gwon"),
    "황": ("hwang",),
    "안": ("ahn", "an"),
    "송": ("song",),
    "유": ("yoo", "yu"),
    "류": ("ryu", "yoo"),
    "홍": ("hong",),
    "전": ("jeon", "chun"),
    "고": ("ko", "go"),
    "문": ("moon", "mun"),
    "양": ("yang",),
    "손": ("son", "sohn"),
    "배": ("bae",),
    "백": ("baek", "paik"),
    "허": ("heo", "huh"),
    "노": ("noh", "roh"),
    "남": ("nam",),
    "하": ("ha",),
    "곽": ("kwak",),
    "성": ("sung", "seong"),
    "차": ("cha",),
    "주": ("joo", "ju"),
    "우": ("woo", "u"),
    "구": ("koo", "gu"),
    "나": ("na", "ra"),
    "민": ("min",),
    "진": ("jin", "chin"),
}

# Revised Romanisation against McCune-Reischauer-like spellings, syllable by syllable.
_MR_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"eo", "o"),
        (r"eu", "u"),
        (r"^g", "k"),
        (r"^d", "t"),
        (r"^b", "p"),
        (r"^j", "ch"),
        (r"^si", "shi"),
    )
)


def _hangul_syllables(token: str) -> list[str]:
    return [anyascii(char).lower() for char in token if "\uac00" <= char <= "\ud7a3"]


@lru_cache(maxsize=65536)
def romanise_hangul(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of a Hangul token: RR, MR-like, surname spellings.

    은비 → eunbi, unbi, unpi; 김 → gim, kim.
    """
    syllables = _hangul_syllables(token)
    if not syllables:
        return ()
    rr = "".join(syllables)
    mr_syllables = []
    for index, syllable in enumerate(syllables):
        for pattern, repl in _MR_REWRITES:
            if index and pattern.pattern.startswith("^") and pattern.pattern != "^si":
                continue
            syllable = pattern.sub(repl, syllable)
        mr_syllables.append(syllable)
    forms = [rr, "".join(mr_syllables)]
    # Voiced medially, voiceless at the start: 은비 is also written Eun-pi.
    forms.append("".join(s if i == 0 else _MR_REWRITES[4][0].sub("p", s) for i, s in
                         enumerate(mr_syllables)))
    if len(token) == 1 and token in _KOREAN_SURNAMES:
        forms = [*_KOREAN_SURNAMES[token], *forms]
    elif len(token) >= 2 and token[0] in _KOREAN_SURNAMES and len(token) == 3:
        # A three-syllable Hangul name is usually family name + given name.
        forms.append(_KOREAN_SURNAMES[token[0]][0] + "".join(syllables[1:]))
    return tuple(dict.fromkeys(form for form in forms if form))


_PINYIN_SYLLABLE = re.compile(r"[A-Z][a-z]*")
# Syllables that Chinese transcriptions of foreign names use for a consonant alone.
_LONE_CONSONANT = {
    "si": "s",
    "ci": "s",
    "zi": "z",
    "ke": "k",
    "te": "t",
    "de": "d",
    "ge": "g",
    "fu": "f",
    "bu": "b",
    "pu": "p",
    "mu": "m",
    "er": "r",
    "er2": "l",
    "la": "l",
    "le": "l",
    "ji": "g",
    "shi": "sh",
    "ze": "z",
    "ku": "k",
    "lu": "l",
}
_WADE_GILES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        # Order matters: each rule must not rewrite what an earlier one produced.
        (r"^c", "ts"),
        (r"^z(?!h)", "ts"),
        (r"^j", "ch"),
        (r"^q", "ch"),
        (r"^zh", "ch"),
        (r"^x", "hs"),
        (r"^r", "j"),
        (r"ong$", "ung"),
        (r"ian$", "ien"),
        (r"^b", "p"),
        (r"^d", "t"),
        (r"^g", "k"),
    )
)


def _han_syllables(token: str) -> list[str]:
    return [s.lower() for s in _PINYIN_SYLLABLE.findall(anyascii(token))]


@lru_cache(maxsize=65536)
def romanise_han(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of a Chinese-character token.

    Pinyin first (王秀英 → wangxiuying), then Wade-Giles-like (wanghsiuying), then the
    foreign-name reading with lone-consonant syllables reduced (斯维尼 → sweini).
    """
    syllables = _han_syllables(token)
    if not syllables:
        return ()
    pinyin = "".join(syllables)
    wade = []
    for syllable in syllables:
        for pattern, repl in _WADE_GILES:
            syllable = pattern.sub(repl, syllable)
        wade.append(syllable)
    reduced = []
    for index, syllable in enumerate(syllables):
        lone = _LONE_CONSONANT.get(syllable)
        nxt = syllables[index + 1] if index + 1 < len(syllables) else ""
        # A lone-consonant syllable stands before another consonant or at the end.
        if lone and index > 0 and (not nxt or nxt[0] not in "aeiouy"):
            reduced.append(lone)
        elif lone and index == 0 and nxt and nxt[0] not in "aeiou" and syllable in {
            "si",
            "ke",
            "fu",
            "bu",
            "pu",
            "te",
            "de",
            "ge",
        }:
            reduced.append(lone)
        else:
            reduced.append(syllable)
    forms = [pinyin, "".join(wade), "".join(reduced)]
    if len(syllables) > 1 and syllables[-1] in {"er"}:
        forms.append("".join(reduced[:-1]) + "r")
    return tuple(dict.fromkeys(form for form in forms if form))
