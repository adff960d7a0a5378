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
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii

from transliteration.rewrites import compile_rewrites, rewrite

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
        if char in _SMALL_Y and syllables and syllables[-1] in {"te", "de"}:
            # テュ, デュ: the tu and du of foreign names (デュアン Duane).
            syllables[-1] = syllables[-1][0] + _SMALL_Y[char]
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


# The vowel katakana adds after a lone consonant of a foreign name: u after most
# consonants, o after t and d (not before h: ムハンマド is Mu-hammad, not Mhammad).
_DEVOICED = re.compile(r"(?<=[kgszjtdhfbpmrv])u(?=[kgszjtdfbpmrv]|$)|(?<=[td])o(?=[kgsztdfbpmr]|$)")


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
    foreign = _DEVOICED.sub("", plain)
    # ン before a labial is m (ヘンペル Hempel, ムハンマド Muhammad).
    foreign = re.sub(r"n(?=[bpm])", "m", foreign)
    labial_m = re.sub(r"n(?=[bpm])", "m", plain)
    # English and German names: the long-vowel mark after a, o, e is often an r the
    # Japanese does not pronounce (カール Karl, アーンスト Ernst, バーンズ Barnes), and
    # ル an l.
    r_syllables = [
        "r" if s == "-" and i > 0 and syllables[i - 1][-1:] in {"a", "o", "e"} else s
        for i, s in enumerate(syllables)
    ]
    with_r = "".join("l" if s == "ru" else s for s in r_syllables if s != "-")
    with_r = re.sub(r"n(?=[bpm])", "m", _DEVOICED.sub("", with_r))
    forms = [plain, long_vowels, foreign, foreign.replace("r", "l"), labial_m]
    if "-" in syllables[1:]:
        forms.append(with_r)
    if plain.startswith("ui"):
        forms.append("w" + plain[1:])
    forms.extend(other_japanese_spellings(plain))
    if "n" in syllables:
        # Japanese writes the ng of Korean and Chinese names as ン (ヨンミョン Yongmyeong,
        # サンミョン Sang-myong, ソンホ Song-ho).
        forms.append("".join("ng" if s == "n" else s for s in syllables if s != "-"))
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
_MR_REWRITES = compile_rewrites(
    (
        (r"eo", "o"),
        (r"eu", "u"),
        (r"^g", "k"),
        (r"^d", "t"),
        (r"^b", "p"),
        (r"^j", "ch"),
        (r"^si", "shi"),
    )
)


_FINAL_STOPS = {"g": "k", "d": "t", "b": "p"}


def _hangul_syllables(token: str) -> list[str]:
    syllables = []
    for char in token:
        if "\uac00" <= char <= "\ud7a3":
            syllable = anyascii(char).lower()
            # A syllable-final stop is voiceless in Revised Romanisation (목 mok, 밥 bap).
            if syllable[-1:] in _FINAL_STOPS and syllable[-2:] != "ng":
                syllable = syllable[:-1] + _FINAL_STOPS[syllable[-1]]
            syllables.append(syllable)
    return syllables


#: Syllables that only a Japanese name written in Hangul has, and how such a name reads
#: them and 스 (su, where a Western name has a lone s).
_JAPANESE_IN_HANGUL = {"츠": "tsu", "쓰": "tsu", "쯔": "tsu", "즈": "zu"}
_JAPANESE_READINGS = {**_JAPANESE_IN_HANGUL, "스": "su"}


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
        rewritten = syllable
        for pattern, repl in _MR_REWRITES:
            if index and pattern.pattern.startswith("^") and pattern.pattern != "^si":
                continue
            rewritten = pattern.sub(repl, rewritten)
        mr_syllables.append(rewritten)
    # Loanwords write a lone consonant as a syllable with the vowel eu (힉스 hik-seu:
    # Hicks; 버트런드 beo-teu-reon-deu: Bertrand); ㄹ is r before a vowel.
    loan = "".join(
        syllable[:-2] if syllable.endswith("eu") and len(syllable) > 2 else syllable
        for syllable in syllables
    )
    loan = re.sub(r"l(?=[aeiouy])", "r", loan.replace("eo", "o")).replace("lr", "l")
    # The English-language spelling of given names writes eo as u (Myung, Young).
    english = rr.replace("yeo", "yu").replace("eo", "u").replace("eu", "u")
    forms = [rr, "".join(mr_syllables), loan, english]
    # Voiced medially, voiceless at the start: 은비 is also written Eun-pi.
    forms.append(
        "".join(s if i == 0 else _MR_REWRITES[4][0].sub("p", s) for i, s in enumerate(mr_syllables))
    )
    hangul = [char for char in token if "\uac00" <= char <= "\ud7a3"]
    if any(char in _JAPANESE_IN_HANGUL for char in hangul):
        # A Japanese name written in Hangul: 츠 and 쓰 stand for tsu, 즈 for zu
        # (카츠오 Katsuo, 아쿠츠 Akutsu, 스즈키 Suzuki), not the cheu and jeu of RR.
        forms.append(
            "".join(
                _JAPANESE_READINGS.get(char, syllable.replace("eo", "o"))
                for char, syllable in zip(hangul, syllables, strict=True)
            )
        )
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
_WADE_GILES = compile_rewrites(
    (
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


# Pinyin initials in English-like spelling, so that phonetic folding reads them right
# (pinyin x is an sh-sound, q a ch-sound, c a ts-sound).
_PINYIN_INITIALS = compile_rewrites(((r"^x", "sh"), (r"^q", "ch"), (r"^c(?!h)", "ts")))
# How syllables of Chinese transcriptions of foreign names map back to the sounds they
# stand for: finals lose their nasal glide and diphthongs flatten (莱 lai: le, 梅 mei:
# me, 奥 ao: o, 桑 sang: san), 维/威 wei is vi, 尔 er is r.
_FOREIGN_FINALS = compile_rewrites(
    (
        (r"^wei$", "vi"),
        (r"^wa$", "va"),
        (r"^wo$", "vo"),
        (r"ai$", "e"),
        (r"ei$", "e"),
        (r"ao$", "o"),
        (r"ou$", "o"),
        (r"uo$", "o"),
        (r"(?<=[aeiou])ng$", "n"),
        (r"^ya$", "ia"),
        (r"^yi$", "i"),
        (r"^xi$", "si"),
        (r"^qi$", "ki"),
        (r"^ji$", "gi"),
    )
)


def _english_pinyin(syllable: str) -> str:
    return rewrite(syllable, _PINYIN_INITIALS)


def _foreign_syllable(syllable: str) -> str:
    return _english_pinyin(rewrite(syllable, _FOREIGN_FINALS))


# Hepburn rewritten in the other systems Japanese names are spelled in: Kunrei-shiki and
# Nihon-shiki (Kimiduka, Mitutani, Hukuda) and the Czech transcription (Akamacu,
# Kuramicu, Mijake), common in the Latin spellings of Japanese names.
_KUNREI = compile_rewrites(
    (
        (r"sh(?=[aou])", "sy"),
        (r"shi", "si"),
        (r"ch(?=[aou])", "ty"),
        (r"chi", "ti"),
        (r"tsu", "tu"),
        (r"fu", "hu"),
        (r"j(?=[aou])", "zy"),
        (r"ji", "zi"),
    )
)
_CZECH = compile_rewrites(((r"ts", "c"), (r"sh", "s"), (r"ch", "c"), (r"j", "dz"), (r"y", "j")))


def other_japanese_spellings(hepburn: str) -> tuple[str, ...]:
    """A Hepburn reading in Kunrei-shiki and in the Czech transcription, where they differ.

    きみづか kimizuka → kimiduka is not made (ず and づ are one sound in Hepburn); くらみつ
    kuramitsu → kuramitu, kuramicu; みやけ miyake → mijake.
    """
    spellings = (rewrite(hepburn, rules) for rules in (_KUNREI, _CZECH))
    return tuple(dict.fromkeys(s for s in spellings if s != hepburn))


# A form made only of Japanese syllables (ka, shi, tsu, kyo, n...), as a Japanese name is
# written in any script's romanisation: Ясима yasima, Такаси takasi, Fukuda, Mitutani.
_JAPANESE_SYLLABLES = re.compile(
    r"(?:(?:ky|gy|sh|ch|ts|ny|hy|my|ry|by|py|j|f|[kgsztdnhbpmrywv])?[aiueo]|n(?![aiueoy]))+"
)
#: Shorter forms (Ali, Ana, Sara...) fit the syllables by chance more often than not.
JAPANESE_LOOKING_FROM = 4


def looks_japanese(form: str) -> bool:
    """Whether a lower-case ASCII form could be a Japanese name spelt in Latin letters:
    Japanese syllables only, and long enough for that to say something."""
    return len(form) >= JAPANESE_LOOKING_FROM and _JAPANESE_SYLLABLES.fullmatch(form) is not None


@lru_cache(maxsize=1)
def _japanese_cutlet() -> Any | None:
    """cutlet's kanji reader (MeCab with the bundled UniDic-lite), if installed."""
    try:
        import cutlet
    except ImportError:  # pragma: no cover - the dependency is declared; be robust anyway
        return None
    try:
        reader = cutlet.Cutlet()
    except (RuntimeError, OSError):  # pragma: no cover - a broken dictionary install
        return None
    reader.use_foreign_spelling = False
    return reader


def _japanese_reader() -> Callable[[str], str] | None:
    reader = _japanese_cutlet()
    if reader is None:
        return None
    romaji: Callable[[str], str] = reader.romaji
    return romaji


#: How many of the dictionary's most likely segmentations of a kanji name are read:
#: a name has several readings (東 Higashi or Azuma, 孝 Kou or Takashi) and the first
#: is the dictionary's guess for running text, not for a name.
JAPANESE_SEGMENTATIONS = 20
#: At most this many readings are kept per token (see `romanise.HAN_MAX_FORMS`).
JAPANESE_READINGS_KEPT = 8
_PERSON_NAME = "人名"


def _path_kana(nodes: Iterable[Any]) -> tuple[str, bool] | None:
    """The kana reading of one segmentation, and whether every word of it is a person's
    name in the dictionary; None when a word has no reading."""
    kana: list[str] = []
    person = True
    for node in nodes:
        reading = getattr(node.feature, "kana", None)
        if not isinstance(reading, str) or not reading or reading == "*":
            return None
        kana.append(reading)
        person = person and getattr(node.feature, "pos3", "") == _PERSON_NAME
    return ("".join(kana), person) if kana else None


def japanese_readings(token: str) -> tuple[str, ...]:
    """The likely Japanese (Hepburn) readings of a token with kanji, best first.

    The reading of running text first, then the dictionary's readings of the characters
    as a person's name, then other segmentations: 慧 → toshi, kei, satoshi; 孝 → kou,
    takashi; 東 → higashi, tou, azuma. Empty when the dictionary does not know the
    characters.
    """
    first = japanese_reading(token)
    if not first:
        return ()
    as_names: list[str] = []
    others: list[str] = []
    reader = _japanese_cutlet()
    try:
        paths = reader.tagger.nbestToNodeList(token, JAPANESE_SEGMENTATIONS) if reader else []
    except Exception:  # a reading is a bonus: whatever the tagger raises, keep the first
        paths = []
    for nodes in paths:
        path = _path_kana(nodes)
        forms = romanise_kana(path[0]) if path else ()
        if path and forms:
            (as_names if path[1] else others).append(forms[0])
    kept = list(dict.fromkeys([first, *as_names, *others]))
    return tuple(kept[:JAPANESE_READINGS_KEPT])


def japanese_reading(token: str) -> str:
    """The Japanese (Hepburn) reading of a token with kanji, '' when none is known.

    小谷 → otani, 大林 → oobayashi; characters the dictionary does not know give ''.
    """
    reader = _japanese_reader()
    if reader is None:
        return ""
    try:
        reading = reader(token)
    except Exception:
        return ""
    if "?" in reading:
        return ""
    return "".join(char for char in reading.lower() if "a" <= char <= "z")


def _single_long_vowels(hepburn: str) -> str:
    return re.sub(r"(?<=o)u|(?<=([aeiou]))\1", "", hepburn)


HAN_TABLE_FILE = "han_readings.tsv"
JAPANESE_MAX_KANJI = 3


@lru_cache(maxsize=1)
def _han_table() -> dict[str, tuple[str, ...]]:
    """Character → Latin segments it stands for in transcribed foreign names.

    Learned by bench/names/han_table.py from the tuning half of the development data
    (Wikidata-derived name clusters published by OpenSanctions, MIT; Wikidata CC0): a
    table of sounds, like the official transcription tables read backwards, with no
    name in it. Empty when absent.
    """
    data = resources.files("transliteration").joinpath("data", HAN_TABLE_FILE)
    if not data.is_file():
        return {}
    table: dict[str, tuple[str, ...]] = {}
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            char, *segments = line.rstrip("\n").split("\t")
            if char and segments:
                table[char] = tuple(segments)
    return table


@lru_cache(maxsize=65536)
def han_syllable_readings(char: str) -> tuple[str, ...]:
    """Ways to read one Chinese character in a name: pinyin, and as a foreign sound."""
    syllables = _han_syllables(char)
    if len(syllables) != 1:
        return ()
    syllable = syllables[0]
    readings = [syllable, _english_pinyin(syllable), _foreign_syllable(syllable)]
    lone = _LONE_CONSONANT.get(syllable)
    if lone:
        readings.append(lone)
    return tuple(dict.fromkeys(readings))


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
    wade = [rewrite(syllable, _WADE_GILES) for syllable in syllables]
    reduced = []
    for index, syllable in enumerate(syllables):
        lone = _LONE_CONSONANT.get(syllable)
        nxt = syllables[index + 1] if index + 1 < len(syllables) else ""
        # A lone-consonant syllable stands before another consonant or at the end.
        if (lone and index > 0 and (not nxt or nxt[0] not in "aeiouy")) or (
            lone
            and index == 0
            and nxt
            and nxt[0] not in "aeiou"
            and syllable
            in {
                "si",
                "ke",
                "fu",
                "bu",
                "pu",
                "te",
                "de",
                "ge",
            }
        ):
            reduced.append(lone)
        else:
            reduced.append(syllable)
    foreign = [
        "r" if syllable == "er" and index > 0 else _foreign_syllable(syllable)
        for index, syllable in enumerate(reduced)
    ]
    forms = [
        "".join(_english_pinyin(s) for s in syllables),
        "".join(wade),
        "".join(foreign),
        "".join(_english_pinyin(s) for s in reduced),
        pinyin,
    ]
    # The sounds the characters usually stand for in transcribed foreign names.
    table = _han_table()
    if table and any(char in table for char in token):
        learned = "".join(
            table[char][0] if char in table else foreign[index] if index < len(foreign) else ""
            for index, char in enumerate(token)
        )
        if learned:
            forms.insert(1, learned)
    # The same characters read as a Japanese name (小谷 Otani, 大林 Obayashi).
    # A Japanese name part has one to three kanji; longer tokens are transcriptions, for
    # which a Japanese reading is noise.
    readings = japanese_readings(token) if len(token) <= JAPANESE_MAX_KANJI else ()
    if readings:
        first, *others = readings
        # Long vowels are also written single (Oobayashi, Obayashi; Shinkou, Shinko).
        forms[3:3] = [_single_long_vowels(first), first, *other_japanese_spellings(first)]
        # The name's other readings come after the Chinese ones: they are less likely,
        # and a name has only so many candidate forms (`romanise.MAX_FORMS`).
        forms.extend(_single_long_vowels(reading) for reading in others)
    return tuple(dict.fromkeys(form for form in forms if form))
