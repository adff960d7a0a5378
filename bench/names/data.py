"""Loading the development data and splitting it into a tuning half and a held-out half.

The split is by cluster id (a hash, so it is stable and independent of file order): the
lexicon is derived and the model weights fitted on the tuning half only, and every
figure is reported on both halves, the held-out one being the honest estimate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
TUNE, HELD_OUT = "tune", "held-out"


def split_of(cluster_id: str) -> str:
    """`tune` or `held-out`, half and half by a hash of the cluster id."""
    digest = hashlib.sha256(cluster_id.encode("utf-8")).digest()
    return TUNE if digest[0] % 2 == 0 else HELD_OUT


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str
    script: str  # the non-Latin script of the pair, or Latn
    split: str


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    script: str
    native: tuple[str, ...]  # the name and its same-script variants
    latin: tuple[str, ...]
    split: str


def _lines(name: str) -> Iterator[dict[str, object]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_pairs() -> list[Pair]:
    """dev_pairs.jsonl as `Pair`s."""
    pairs = []
    for row in _lines("dev_pairs.jsonl"):
        a_script, b_script = str(row.get("a_script", "")), str(row.get("b_script", ""))
        script = a_script if a_script != "Latn" else b_script
        pairs.append(
            Pair(
                a=str(row["a"]),
                b=str(row["b"]),
                same=bool(row["same"]),
                kind=str(row["kind"]),
                script=script or "Latn",
                split=split_of(str(row.get("a_id", row["a"]))),
            )
        )
    return pairs


def load_clusters(name: str = "dev.jsonl") -> list[Cluster]:
    """dev.jsonl (or dev_fullnames.jsonl) as `Cluster`s."""
    clusters = []
    for row in _lines(name):
        script_variants = row.get("script_variants") or []
        variants = row.get("variants") or []
        assert isinstance(script_variants, list)
        assert isinstance(variants, list)
        native = (str(row["name"]), *(str(v) for v in script_variants))
        latin = tuple(str(v) for v in variants)
        clusters.append(
            Cluster(
                id=str(row["id"]),
                script=str(row["script"]),
                native=native,
                latin=latin,
                split=split_of(str(row["id"])),
            )
        )
    return clusters


def synthetic_pairs(seed: int = 17) -> list[Pair]:
    """Extra tuning pairs built from the tuning half of dev.jsonl, the way the data's own
    pairs were built: each native form with each Latin spelling of its cluster (true), and
    with the Latin spellings of other clusters that look most like one of its own
    (fuzzy ratio 75 or more: hard negatives), for every script, including those for which
    dev_pairs.jsonl has no hard negatives (Han, kana, Hangul).
    """
    import random

    from rapidfuzz import fuzz, process

    clusters = [c for c in load_clusters() if c.split == TUNE]
    pool = sorted({v for c in clusters for v in c.latin if " " not in v})
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for cluster in clusters:
        if cluster.script == "Latn" or not cluster.latin:
            continue
        native = cluster.native[0]
        own = set(cluster.latin)
        for spelling in cluster.latin[:3]:
            pairs.append(Pair(native, spelling, True, "pos_cross_script", cluster.script, TUNE))
        lookalikes = [
            match
            for match, score, _ in process.extract(
                cluster.latin[0], pool, scorer=fuzz.ratio, limit=12, score_cutoff=75
            )
            if match not in own and score < 100
        ]
        for match in rng.sample(lookalikes, min(2, len(lookalikes))):
            pairs.append(Pair(native, match, False, "neg_cross_script_hard", cluster.script, TUNE))
    return pairs
