"""The compact id sets of the importer (importers/idset.py) answer as a Python set would."""

from __future__ import annotations

import random
import uuid

import numpy as np

from importers.idset import (
    IdSet,
    as_keys,
    digests_of_hex,
    first_occurrences,
    packed,
    packing_of,
    positions,
    unpacked,
)


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


def test_uuids_pack_into_16_bytes_in_their_order_and_unpack_to_themselves() -> None:
    picker = random.Random(5)
    ids = sorted(
        [str(uuid.UUID(int=picker.getrandbits(128))) for _ in range(2000)]
        + [
            str(uuid.UUID(int=0)),
            str(uuid.UUID(int=1)),
            str(uuid.UUID(int=1 << 120)),
            str(uuid.UUID(int=(1 << 128) - 1)),
        ]
    )  # packed, the ones with zeros end in and hold NUL bytes, which numpy's byte strings treat apart
    keys = as_keys(ids)
    packing = packing_of(keys)
    assert packing is not None
    assert (packing.prefix, packing.width) == (b"", 16)
    keys_packed, fits = packed(packing, keys)
    assert keys_packed.dtype == np.dtype("S16") and bool(fits.all())
    assert bool(np.all(keys_packed[:-1] < keys_packed[1:]))  # the text's order
    assert [key.decode() for key in unpacked(packing, keys_packed)] == ids
    probe = [ids[7], str(uuid.UUID(int=2)), ids[0], ids[-1]]
    assert list(positions(keys_packed, packed(packing, as_keys(probe))[0])[1]) == [True, False, True, True]


def test_bgt_ids_pack_behind_their_prefix() -> None:
    ids = sorted(f"G0363.{uuid.UUID(int=random.Random(i).getrandbits(128)).hex}" for i in range(500))
    packing = packing_of(as_keys(ids))
    assert packing is not None
    assert (packing.prefix, packing.length, packing.width) == (b"G0363.", 38, 16)
    assert [key.decode() for key in unpacked(packing, packed(packing, as_keys(ids))[0])] == ids


def test_a_first_chunk_of_sorted_ids_sharing_a_digit_does_not_make_it_the_prefix() -> None:
    packing = packing_of(as_keys([f"0{i:05x}" for i in range(100)]))
    assert packing is not None
    assert packing.prefix == b""
    assert bool(packed(packing, as_keys(["f00001"]))[1].all())


def test_ids_of_no_common_shape_are_not_packed() -> None:
    uuid_text = str(uuid.UUID(int=0xABCDEF12345))
    for ids in (
        ["a", "b", "gone"],  # of different lengths
        [uuid_text, uuid_text.upper()],  # upper-case hex digits
        [uuid_text, uuid_text.replace("-", "x", 1)],  # a dash where another has none
        ["plantsoen-1", "plantsoen-2"],  # one digit: nothing to save
        [],
    ):
        assert packing_of(as_keys(ids)) is None, ids


def test_an_id_of_another_shape_does_not_fit_a_packing() -> None:
    uuid_text = str(uuid.UUID(int=0xFACE42))
    packing = packing_of(as_keys([uuid_text, str(uuid.UUID(int=0xFACE43))]))
    assert packing is not None
    others = [uuid_text + "0", uuid_text[:-1], uuid_text.upper(), uuid_text.replace("-", "0"), "x", "", uuid_text]
    assert list(packed(packing, as_keys(others))[1]) == [False] * 6 + [True]


def test_an_id_set_packs_the_shape_of_its_first_ids_and_keeps_others_as_they_are() -> None:
    picker = random.Random(8)
    uuids = [str(uuid.UUID(int=picker.getrandbits(128))) for _ in range(3000)]
    others = ["grasveld-1", "ß", uuids[0].upper(), uuids[1] + "0", f"G0363.{uuids[2]}"]
    seen = IdSet()
    seen.add(as_keys(uuids[:100]))  # the first ids decide the packing
    added = set(uuids[:100])
    rest = uuids[100:] + others
    picker.shuffle(rest)
    for start in range(0, len(rest), 97):
        batch = rest[start : start + 97]
        seen.add(as_keys(batch))
        added.update(batch)
        probe = [*picker.sample(uuids + others, 50), uuids[3].upper(), str(uuid.UUID(int=1)), "grasveld-2"]
        assert list(seen.contains(as_keys(probe))) == [p in added for p in probe]
    assert len(seen) == len(added)
    assert seen._packing is not None and len(seen._other) == len(others)
