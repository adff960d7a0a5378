"""Other names of one place: endonyms, exonyms and other languages' names.

A child from Mogadishu may be registered as from Muqdisho (Somali) or Xamar, a family
from Sinjar as from Shingal (Kurdish), Kharkiv as Kharkov. These are not respellings of
one another, so no transliteration or fuzzy comparison can join them, and a place clue
that reads them as different towns counts against a true pair. The list of such names
(`data/place_aliases.tsv`, one place per line) joins them: two place names agree when
they name one place, and the keys that find candidates (`names.place_codes`) are made
from the place's usual name as well as from the name written.

Respellings and transliterations (Kandahar, Qandahar, قندهار) are left to the place
matcher and need no line. Names are looked up folded (case, punctuation, spaces,
particles such as al- and el-) and romanised, so "Al-Mawsil", "al mawsil" and "الموصل"
find the line of Mosul.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from matching.name_parts import parse_name
from matching.places import normalise_place_text

ALIASES_FILE = "place_aliases.tsv"
MEMO_SIZE = 200_000


@lru_cache(maxsize=65536)
def _lookup_keys(text: str) -> frozenset[str]:
    """The written form without case, punctuation or spaces, and the romanised form
    (particles dropped, parts joined): what two writings of one name share."""
    keys = set()
    written = normalise_place_text(text).replace(" ", "")
    if written:
        keys.add(written)
    romanised = "".join(part.folded[0] for part in parse_name(text) if part.folded)
    if romanised:
        keys.add("~" + romanised)
    return frozenset(keys)


@dataclass(frozen=True)
class PlaceAliases:
    """The names of places, each place a group of names; the first name is its usual one."""

    groups_of_key: Mapping[str, frozenset[int]]
    usual: tuple[str, ...]  # the usual name of each place, by group
    # Memo of `groups_of` by text: every place clue of every pair asks for both names.
    _groups_of_text: dict[str, frozenset[int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> PlaceAliases:
        """From lines "country<TAB>name<TAB>name…"; blank lines and # comments skipped."""
        groups: dict[str, set[int]] = defaultdict(set)
        usual: list[str] = []
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            _country, *place_names = (field.strip() for field in line.rstrip("\n").split("\t"))
            place_names = [name for name in place_names if name]
            if len(place_names) < 2:
                continue
            group = len(usual)
            usual.append(place_names[0])
            for name in place_names:
                for key in _lookup_keys(name):
                    groups[key].add(group)
        return cls({key: frozenset(ids) for key, ids in groups.items()}, tuple(usual))

    def groups_of(self, text: str) -> frozenset[int]:
        """The places a name may be (several where two places share a name: Tripoli)."""
        groups = self._groups_of_text.get(text)
        if groups is None:
            groups = frozenset(
                group for key in _lookup_keys(text) for group in self.groups_of_key.get(key, ())
            )
            if len(self._groups_of_text) < MEMO_SIZE:
                self._groups_of_text[text] = groups
        return groups

    def same_place(self, a: str, b: str) -> bool:
        """Whether the two names are names of one place in the list."""
        return bool(self.groups_of(a) & self.groups_of(b))

    def usual_names(self, text: str) -> tuple[str, ...]:
        """The usual name of each place the name may be, sorted; () when not listed."""
        return tuple(sorted({self.usual[group] for group in self.groups_of(text)}))


@lru_cache(maxsize=1)
def bundled_place_aliases() -> PlaceAliases:
    """The list shipped with the package (empty if the file is missing)."""
    data = resources.files("matching").joinpath("data", ALIASES_FILE)
    if not data.is_file():
        return PlaceAliases({}, ())
    with data.open(encoding="utf-8") as handle:
        return PlaceAliases.from_lines(handle)
