"""Derive the variant lexicon shipped in matching/data from the tuning half of dev.jsonl.

Run: .venv/bin/python -m bench.names.lexicon. Only clusters of the tuning half go in,
so that the held-out half measures what the lexicon adds on names it has not seen.
Spellings of several words (a family name with its article, 'al al-shaykh') are left
out: the lexicon works on name parts.
"""

from __future__ import annotations

from pathlib import Path

from bench.names.data import TUNE, load_clusters
from matching.name_lexicon import LEXICON_FILE

OUTPUT = Path(__file__).resolve().parents[2] / "matching" / "data" / LEXICON_FILE


def build() -> list[tuple[int, str]]:
    """(group, spelling) entries: one group per tuning cluster id."""
    groups: dict[str, int] = {}
    entries: set[tuple[int, str]] = set()
    for cluster in load_clusters():
        if cluster.split != TUNE:
            continue
        group = groups.setdefault(cluster.id, len(groups))
        for spelling in (*cluster.native, *cluster.latin):
            spelling = spelling.strip().casefold()
            if spelling and len(spelling.split()) == 1 and "\t" not in spelling:
                entries.add((group, spelling))
    return sorted(entries)


def main() -> None:
    entries = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8") as handle:
        handle.write("".join(f"{group}\t{spelling}\n" for group, spelling in entries))
    print(f"{len(entries)} spellings in {len({g for g, _ in entries})} groups -> {OUTPUT}")


if __name__ == "__main__":
    main()
