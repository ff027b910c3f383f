"""Answers that are the same or nearly the same as a classmate's, for the teacher's class page.

The measure is the Jaccard similarity of word shingles: each answer becomes the set of its
runs of three consecutive words (case, punctuation and spacing ignored), and two answers
are compared by how many runs they share out of all the runs either has. Copying with a
few words changed keeps most runs, while two honest answers on the same question share
few, because three-word runs are specific. Answers of fewer than three words are compared
by their words alone.

Only pairs that share at least one shingle are compared (an index from shingle to answers),
so a class of 300 does not cost 45,000 comparisons per question. Measured rather than
``difflib.SequenceMatcher``: the ratio of a sequence matcher depends on word order and costs
far more per pair, while a reordered copy is still a copy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
SHINGLE = 3
NEARLY = 0.6  # at least this share of shingles in common: flagged as nearly the same
MIN_WORDS = 4  # two answers shorter than this ("I don't know") are too short to call copied


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) < SHINGLE:
        return frozenset((w,) for w in words)
    return frozenset(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def similar_pairs(answers: Mapping[K, str], threshold: float = NEARLY) -> list[tuple[K, K, float]]:
    """(a, b, similarity) for every two answers at least ``threshold`` alike, most alike first.

    Answers with the same words are grouped first (a similarity of 1.0 within the group), so a text
    passed round the whole class is compared once, not once per pair of its copies."""
    groups: dict[tuple[str, ...], list[K]] = defaultdict(list)
    for key, text in answers.items():
        words = tuple(w.casefold() for w in WORD.findall(text))
        if len(words) >= MIN_WORDS:
            groups[words].append(key)
    out: list[tuple[K, K, float]] = []
    for keys in groups.values():
        out.extend((a, b, 1.0) for a, b in combinations(keys, 2))
    sets = [shingles(" ".join(words)) for words in groups]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, found in enumerate(sets):
        for shingle in found:
            index[shingle].append(n)
    candidates: set[tuple[int, int]] = set()
    for holders in index.values():
        candidates.update(combinations(holders, 2))
    members = list(groups.values())
    for a, b in candidates:
        both = len(sets[a] & sets[b])
        score = both / (len(sets[a]) + len(sets[b]) - both)
        if score >= threshold:
            out.extend((x, y, round(score, 2)) for x in members[a] for y in members[b])
    out.sort(key=lambda pair: -pair[2])
    return out
