"""Learn how Chinese characters are read in transcriptions of foreign names.

Run: .venv/bin/python -m bench.names.han_table. Writes transliteration/data/han_readings.tsv.

Chinese writes a foreign name with characters chosen for their sound (斯 si for s, 特 te
for t, 尔 er for r, 维 wei for v); a few hundred characters serve almost every name, and
each is read back in a few typical ways. This aligns the characters of the tuning half's
Han names with their Latin spellings (dynamic programming over segmentations, scored by
the hand-set weighted distance between the character's pinyin readings and the Latin
segment) and keeps, for each character seen often enough, its commonest segments: a
table of sounds by character, like the official transcription tables read backwards. It
holds no name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from bench.names.data import TUNE, load_clusters
from matching.name_distance import weighted_distance
from transliteration import phonetic_fold
from transliteration.east_asian import HAN_TABLE_FILE, han_syllable_readings
from transliteration.latin import strip_to_ascii

OUTPUT = Path(__file__).resolve().parents[2] / "transliteration" / "data" / HAN_TABLE_FILE
MAX_SEGMENT = 6
MIN_COUNT = 2
MIN_SHARE = 0.15
KEEP = 3


def _cost(readings: tuple[str, ...], segment: str) -> float:
    folded = phonetic_fold(segment) if segment else ""
    best = min(
        weighted_distance(phonetic_fold(r), folded) if folded else len(r) * 0.6 for r in readings
    )
    return best


def segment(chars: str, latin: str) -> list[str] | None:
    """The Latin segment each character stands for, by least total cost."""
    readings = [han_syllable_readings(char) for char in chars]
    if not all(readings):
        return None
    n, m = len(chars), len(latin)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(m + 1):
            for k in range(max(0, j - MAX_SEGMENT), j + 1):
                if cost[i - 1][k] == inf:
                    continue
                c = cost[i - 1][k] + _cost(readings[i - 1], latin[k:j])
                if c < cost[i][j]:
                    cost[i][j], back[i][j] = c, k
    if cost[n][m] == inf or cost[n][m] > 1.2 * n:
        return None  # a spelling that does not follow the characters (a different name)
    out: list[str] = []
    j = m
    for i in range(n, 0, -1):
        k = back[i][j]
        out.append(latin[k:j])
        j = k
    return out[::-1]


def main() -> None:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    aligned = 0
    for cluster in load_clusters():
        if cluster.split != TUNE or cluster.script != "Hani":
            continue
        for native in cluster.native:
            chars = "".join(c for c in native if "\u3400" <= c <= "\u9fff")
            if not chars or len(chars) != len(native):
                continue
            for spelling in cluster.latin:
                latin = strip_to_ascii(spelling)
                pieces = segment(chars, latin) if latin else None
                if pieces is None:
                    continue
                aligned += 1
                for char, piece in zip(chars, pieces, strict=True):
                    counts[char][piece] += 1
    lines = []
    for char, seen in sorted(counts.items()):
        total = sum(seen.values())
        kept = [p for p, c in seen.most_common(KEEP) if c >= MIN_COUNT and c / total >= MIN_SHARE]
        if kept:
            lines.append(char + "\t" + "\t".join(kept))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{aligned} spellings aligned; {len(lines)} characters -> {OUTPUT}")


if __name__ == "__main__":
    main()
