"""A lexicon of known name variants: spellings of one name in several scripts.

The lexicon is one component of name similarity among several, never the only one: the
matcher must recognise names it has never seen. Each line of the data file is a group
id and one spelling; two spellings in one group are variants of one name. Native-script
spellings are stored normalised (`normalise_name`), Latin spellings phonetically folded,
so that the lookup tolerates trivial differences.

The shipped file (data/name_variants.tsv) was derived by bench/names/lexicon.py from the
name clusters of the project's development data (dev.jsonl): Wikidata-derived person-name
clusters published by OpenSanctions (MIT, © OpenSanctions; the Wikidata data is CC0) and
Ethiopic names by Robel Shemeles (MIT). The benchmark measures the matcher with a lexicon
of the tuning half only, so that its held-out figures are not flattered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from transliteration import detect_script, normalise_name, phonetic_fold
from transliteration.latin import strip_to_ascii

LEXICON_FILE = "name_variants.tsv"


@lru_cache(maxsize=131072)
def lexicon_key(written: str) -> str:
    """The lookup key of one name part: folded ASCII for Latin, normalised letters otherwise.

    Memoised: matching looks the same parts up in pair after pair.
    """
    if detect_script(written) == "Latn":
        return phonetic_fold(strip_to_ascii(written))
    return normalise_name(written)


class NameLexicon:
    """Groups of spellings known to be one name; `groups_of` looks a spelling up."""

    __slots__ = ("_groups",)

    def __init__(self, entries: Iterable[tuple[int, str]] = ()) -> None:
        groups: dict[str, set[int]] = defaultdict(set)
        for group, spelling in entries:
            key = lexicon_key(spelling)
            if key:
                groups[key].add(group)
        self._groups = {key: frozenset(ids) for key, ids in groups.items()}

    def __len__(self) -> int:
        return len(self._groups)

    def groups_of(self, written: str) -> frozenset[int]:
        """The ids of the groups this spelling belongs to (empty if unknown)."""
        return self._groups.get(lexicon_key(written), frozenset())

    def same_name(self, a: str, b: str) -> bool:
        """Whether the lexicon lists the two spellings as variants of one name."""
        groups_a = self.groups_of(a)
        return bool(groups_a) and not groups_a.isdisjoint(self.groups_of(b))

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> NameLexicon:
        """Read `group<TAB>spelling` lines (the format of the shipped file)."""
        entries: list[tuple[int, str]] = []
        for line in lines:
            group, _, spelling = line.rstrip("\n").partition("\t")
            if group.isdigit() and spelling:
                entries.append((int(group), spelling))
        return cls(entries)

    @classmethod
    def bundled(cls) -> NameLexicon:
        """The lexicon shipped with the package (empty if the data file is absent)."""
        data = resources.files("matching").joinpath("data", LEXICON_FILE)
        if not data.is_file():
            return cls()
        with data.open(encoding="utf-8") as handle:
            return cls.from_lines(handle)
