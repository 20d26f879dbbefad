"""The compact id sets of the importer (importers/idset.py) answer as a Python set would."""

from __future__ import annotations

import random

import numpy as np

from importers.idset import IdSet, as_keys, digests_of_hex, first_occurrences, positions


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


def test_digests_of_hex_decodes_md5_hashes_and_blanks_what_is_not_one() -> None:
    md5 = "0123456789abcdef00ff10ee20dd30cc"
    not_md5 = ["", md5[:31], md5 + "0", md5.upper(), md5[:31] + "g", md5[:31] + "é", "ß" * 32]
    digests = digests_of_hex([md5, *not_md5])
    assert digests.dtype == np.dtype("S16")
    assert digests[0] == bytes.fromhex(md5)
    assert [bytes(d) for d in digests[1:]] == [b""] * len(not_md5)  # 16 NUL bytes read as b""
    assert len(digests_of_hex([])) == 0
