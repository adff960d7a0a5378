"""Derive the variant lexicon shipped in matching/data from the tuning half of dev.jsonl.

Run: .venv/bin/python -m bench.names.lexicon. All development clusters go in the shipped
file (the hidden evaluation set is disjoint from them); the benchmark builds a lexicon of
the tuning half only for its held-out figures, so that they measure names not seen.
Spellings of several words (a family name with its article, 'al al-shaykh') are left
out: the lexicon works on name parts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.names.data import TUNE, load_clusters
from matching.name_lexicon import LEXICON_FILE

OUTPUT = Path(__file__).resolve().parents[2] / "matching" / "data" / LEXICON_FILE


def build(*, tuning_half_only: bool = True) -> list[tuple[int, str]]:
    """(group, spelling) entries: one group per cluster id (of the tuning half by default)."""
    groups: dict[str, int] = {}
    entries: set[tuple[int, str]] = set()
    for cluster in load_clusters():
        if tuning_half_only and cluster.split != TUNE:
            continue
        group = groups.setdefault(cluster.id, len(groups))
        for written in (*cluster.native, *cluster.latin):
            spelling = written.strip().casefold()
            if spelling and len(spelling.split()) == 1 and "\t" not in spelling:
                entries.add((group, spelling))
    return sorted(entries)


def main() -> None:
    # The shipped lexicon covers all the development clusters; the benchmark builds its
    # own from the tuning half (build()) for its held-out figures.
    entries = build(tuning_half_only="--tuning-half" in sys.argv)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8") as handle:
        handle.write("".join(f"{group}\t{spelling}\n" for group, spelling in entries))
    print(f"{len(entries)} spellings in {len({g for g, _ in entries})} groups -> {OUTPUT}")


if __name__ == "__main__":
    main()
