"""The compact id sets of the importer (importers/idset.py) answer as a Python set would."""

from __future__ import annotations

import random

import numpy as np

from importers.idset import IdSet, as_keys, first_occurrences, positions


def test_an_id_set_grown_batch_by_batch_knows_exactly_the_ids_added() -> None:
    picker = random.Random(3)
    ids = [f"{'x' * picker.randrange(0, 40)}{i}" for i in range(3000)] + ["grünstrook-1", "ß"]
    picker.shuffle(ids)
    seen = IdSet()
    added: set[str] = set()
    for start in range(0, len(ids), 97):  # batches of varying width: levels are widened when merged
        batch = ids[start : start + 97]
        seen.add(as_keys(batch))
        added.update(batch)
        probe = [*picker.sample(ids, 50), "absent", "x" * 300]
        assert list(seen.contains(as_keys(probe))) == [p in added for p in probe]
    assert len(seen) == len(ids)


def test_positions_finds_keys_longer_and_shorter_than_the_stored_ones() -> None:
    stored = np.sort(as_keys(["a", "bb", "ccc"]))
    at, found = positions(stored, as_keys(["ccc", "cccc", "b", "a"]))
    assert list(found) == [True, False, False, True]
    assert stored[at[0]] == b"ccc"


def test_first_occurrences_marks_the_repeats() -> None:
    assert list(first_occurrences(as_keys(["a", "b", "a", "c", "b"]))) == [True, True, False, True, False]
