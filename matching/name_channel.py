"""A learned transliteration channel: how romanised forms of one script turn into the
Latin spellings people write, as costs of edit operations.

For each source script (Arabic, Cyrillic, Han, ...) the channel gives the probability of
each edit operation between a romanised form x (from `transliteration.romanise`, folded)
and a Latin spelling y: keep a letter, replace it (Han l for r), drop it, or insert one
(the short vowels an Arabic spelling leaves out). `log_likelihood_ratio(x, y)` compares
the best alignment under the channel with the two strings drawn independently from the
letter frequencies: positive when y looks like a spelling of x, negative when it looks
like another name of similar letters.

The probabilities are estimated from aligned true pairs (bench/names/channel.py, on the
tuning half of the development data: Wikidata-derived name clusters published by
OpenSanctions, MIT, the Wikidata data CC0; Ethiopic names by Robel Shemeles, MIT).
They model letters and sounds, not names: a substitution learned from 'Luosaili ~
Rosselli' helps with every Han-transcribed r. A last step moves each cost by how much
more often the operation aligns true pairs than look-alike names (dropping an m or a k
is what tells Karim from Kamir, a vowel change is what Karim and Kerim share), so the
"log-likelihood ratio" is a discriminative score in the same units rather than a strict
probability ratio: positive for a spelling of x, negative for another name.
When no table was shipped, hand-set costs (`matching.name_distance`) stand in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from matching.name_distance import _INDEL, _SUBSTITUTION

CHANNEL_FILE = "name_channel.json"
INDEPENDENT_CACHE_SIZE = 200_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"

#: Which channel table serves a source script; other scripts use "other".
SCRIPT_GROUPS: Mapping[str, str] = {
    "Arab": "Arab",
    "Hebr": "Hebr",
    "Cyrl": "Cyrl",
    "Hani": "Hani",
    "Hira": "Kana",
    "Kana": "Kana",
    "Jpan": "Kana",
    "Hang": "Hang",
    "Kore": "Hang",
    "Grek": "Grek",
    "Ethi": "Ethi",
    "Geor": "Geor",
    "Armn": "Armn",
    "Thai": "Thai",
    "Deva": "Indic",
    "Beng": "Indic",
    "Guru": "Indic",
    "Gujr": "Indic",
    "Orya": "Indic",
    "Taml": "Indic",
    "Telu": "Indic",
    "Knda": "Indic",
    "Mlym": "Indic",
    "Sinh": "Indic",
    "Latn": "Latn",
}
DEFAULT_GROUP = "other"


def group_of(script: str) -> str:
    """The channel table for a source script."""
    return SCRIPT_GROUPS.get(script, DEFAULT_GROUP)


@dataclass(frozen=True, slots=True)
class Channel:
    """Operation costs (negative log probabilities) of one source script."""

    substitution: Mapping[tuple[str, str], float]  # (x letter, y letter) incl. keeping it
    deletion: Mapping[str, float]  # x letter dropped
    insertion: Mapping[str, float]  # y letter added
    letter: Mapping[str, float]  # -log frequency of a letter (the independent model)
    fallback: float = 14.0  # cost of an operation never seen
    _rows: dict[str, dict[str, float]] = field(default_factory=dict, compare=False)
    _independent: dict[str, float] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # One dict per source letter: the inner loop of the alignment looks up by one
        # character instead of building a tuple key, which halves its time.
        for (a, b), cost in self.substitution.items():
            self._rows.setdefault(a, {})[b] = cost

    def alignment_cost(self, x: str, y: str) -> float:
        """The cost of the best alignment of x into y (Viterbi, edit-distance shaped)."""
        rows = self._rows
        delete = self.deletion
        fallback = self.fallback
        empty: dict[str, float] = {}
        insert_y = [self.insertion.get(char, fallback) for char in y]
        previous = [0.0]
        for cost in insert_y:
            previous.append(previous[-1] + cost)
        # The hot loop of every comparison: plain comparisons, not min(), which costs a
        # function call per cell.
        for char_x in x:
            cost_x = delete.get(char_x, fallback)
            row = rows.get(char_x, empty)
            left = previous[0] + cost_x
            current = [left]
            for index, char_y in enumerate(y):
                best = previous[index] + row.get(char_y, fallback)
                deletion = previous[index + 1] + cost_x
                if deletion < best:  # noqa: PLR1730
                    best = deletion
                insertion = left + insert_y[index]
                if insertion < best:  # noqa: PLR1730
                    best = insertion
                current.append(best)
                left = best
            previous = current
        return previous[-1]

    def independent_cost(self, text: str) -> float:
        """-log probability of the letters of `text` drawn independently."""
        cached = self._independent.get(text)
        if cached is None:
            cached = sum(self.letter.get(char, self.fallback) for char in text)
            if len(self._independent) < INDEPENDENT_CACHE_SIZE:
                self._independent[text] = cached
        return cached

    def log_likelihood_ratio(self, x: str, y: str) -> float:
        """Evidence (nats) that y is a spelling of x rather than an unrelated string."""
        return self.independent_cost(x) + self.independent_cost(y) - self.alignment_cost(x, y)


def _hand_set_channel() -> Channel:
    """Costs from the hand-set weighted distance, scaled to nats, as a stand-in."""
    scale = 4.0
    keep = 0.3
    letter = dict.fromkeys(LETTERS, 3.2)
    substitution = {
        (a, b): keep if a == b else keep + scale * cost for (a, b), cost in _SUBSTITUTION.items()
    }
    deletion = {char: 3.2 + scale * cost for char, cost in _INDEL.items()}
    return Channel(substitution, deletion, dict(deletion), letter)


def channel_from_json(table: Mapping[str, object]) -> Channel:
    """A channel from its JSON form.

    {"sub": {"ab": cost}, "del": {"a": cost}, "ins": {"b": cost}, "letter": {"a": cost}}.
    """

    def floats(key: str) -> dict[str, float]:
        value = table.get(key, {})
        assert isinstance(value, dict)
        return {str(k): float(v) for k, v in value.items()}

    substitution = {(k[0], k[1]): v for k, v in floats("sub").items() if len(k) == 2}
    return Channel(substitution, floats("del"), floats("ins"), floats("letter"))


@lru_cache(maxsize=1)
def bundled_channels() -> dict[str, Channel]:
    """The channel tables shipped with the package, by group; hand-set if absent."""
    data = resources.files("matching").joinpath("data", CHANNEL_FILE)
    channels: dict[str, Channel] = {}
    if data.is_file():
        with data.open(encoding="utf-8") as handle:
            raw = json.load(handle)
        channels = {group: channel_from_json(table) for group, table in raw.items()}
    if DEFAULT_GROUP not in channels:
        channels[DEFAULT_GROUP] = _hand_set_channel()
    return channels


def channel_for(group: str) -> Channel:
    """The channel of a group, or the generic one."""
    channels = bundled_channels()
    return channels.get(group) or channels[DEFAULT_GROUP]


def neg_log(probability: float) -> float:
    """-log p, finite for p = 0."""
    return -math.log(max(probability, 1e-12))
