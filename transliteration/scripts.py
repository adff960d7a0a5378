"""Which writing system a token is written in, as an ISO 15924 code.

Detection works on code-point ranges, character by character, and takes the script that
most letters of the token belong to: names come one token at a time, and a token mixing
scripts is rare enough (a typing slip) that the majority is the right answer.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

#: Scripts without letters of their own: digits, punctuation, spaces.
COMMON = "Zyyy"
#: No letter at all, or letters of a script this table does not know.
UNKNOWN = "Zzzz"

# (first code point, last code point, ISO 15924). Sorted by first code point.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00C0, 0x024F, "Latn"),
    (0x0250, 0x02AF, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0700, 0x074F, "Syrc"),
    (0x0750, 0x077F, "Arab"),
    (0x0780, 0x07BF, "Thaa"),
    (0x0870, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B00, 0x0B7F, "Orya"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"),
    (0x0D00, 0x0D7F, "Mlym"),
    (0x0D80, 0x0DFF, "Sinh"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"),
    (0x0F00, 0x0FFF, "Tibt"),
    (0x1000, 0x109F, "Mymr"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),
    (0x1200, 0x139F, "Ethi"),
    (0x13A0, 0x13FF, "Cher"),
    (0x1780, 0x17FF, "Khmr"),
    (0x1800, 0x18AF, "Mong"),
    (0x19E0, 0x19FF, "Khmr"),
    (0x1C90, 0x1CBF, "Geor"),
    (0x1D00, 0x1DBF, "Latn"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Grek"),
    (0x2C00, 0x2C5F, "Glag"),
    (0x2C60, 0x2C7F, "Latn"),
    (0x2D00, 0x2D2F, "Geor"),
    (0x2D80, 0x2DDF, "Ethi"),
    (0x2DE0, 0x2DFF, "Cyrl"),
    (0x2E80, 0x2FDF, "Hani"),
    (0x3005, 0x3007, "Hani"),
    (0x3021, 0x3029, "Hani"),
    (0x3041, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hang"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xA640, 0xA69F, "Cyrl"),
    (0xA720, 0xA7FF, "Latn"),
    (0xA960, 0xA97F, "Hang"),
    (0xAB00, 0xAB2F, "Ethi"),
    (0xAB30, 0xAB6F, "Latn"),
    (0xAC00, 0xD7AF, "Hang"),
    (0xD7B0, 0xD7FF, "Hang"),
    (0xF900, 0xFAFF, "Hani"),
    (0xFB00, 0xFB06, "Latn"),
    (0xFB13, 0xFB17, "Armn"),
    (0xFB1D, 0xFB4F, "Hebr"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0xFF21, 0xFF3A, "Latn"),
    (0xFF41, 0xFF5A, "Latn"),
    (0xFF66, 0xFF9F, "Kana"),
    (0x1E900, 0x1E95F, "Adlm"),
    (0x20000, 0x3134F, "Hani"),
)
_STARTS = tuple(start for start, _, _ in _RANGES)


@lru_cache(maxsize=4096)
def char_script(char: str) -> str:
    """The ISO 15924 code of one character: `Zyyy` for digits, marks and punctuation."""
    code = ord(char)
    index = bisect_right(_STARTS, code) - 1
    if index >= 0:
        start, end, script = _RANGES[index]
        if start <= code <= end and unicodedata.category(char)[0] == "L":
            return script
    if unicodedata.category(char)[0] == "L":
        return UNKNOWN
    return COMMON


def detect_script(token: str) -> str:
    """The ISO 15924 code of the script most letters of `token` are written in.

    Japanese kana are reported as `Hira` or `Kana`; a token mixing kana with Han
    characters (a Japanese name such as 木ノ下) is reported as `Jpan`, and a token mixing
    Hangul with Han as `Kore`. Returns `Zyyy` when the token has no letter.
    """
    counts: Counter[str] = Counter()
    for char in token:
        script = char_script(char)
        if script != COMMON:
            counts[script] += 1
    if not counts:
        return COMMON
    if counts.get("Hani") and (counts.get("Hira") or counts.get("Kana")):
        return "Jpan"
    if counts.get("Hani") and counts.get("Hang"):
        return "Kore"
    return counts.most_common(1)[0][0]
