"""External ids held compactly: sorted fixed-width byte arrays instead of Python sets and dicts.

A Python set of 1,000,000 UUID strings takes ~110 MB (an 85-byte str object and a hash slot each),
a dict of (id, hex hash) pairs ~320 MB: that made the importer's peak memory grow with the source
(issue 12: 1.36× and 2.14× from 100,000 to 1,000,000 features). As numpy byte strings the same ids
take their own length (36 bytes for a UUID) and a 16-byte digest, and a batch is looked up
column-wise with a binary search (`np.searchsorted`) instead of a Python loop.

numpy's fixed-width byte strings pad with NUL bytes and compare as if trailing NULs were absent;
PostgreSQL text cannot hold NUL, so no two ids differ only in them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np


def as_keys(ids: Any) -> Any:
    """A numpy array of UTF-8 byte strings for a sequence of str (no None)."""
    if len(ids) == 0:
        return np.zeros(0, dtype="S1")
    return np.array([value.encode() for value in ids], dtype=np.bytes_)


def widened(keys: Any, width: int) -> Any:
    """`keys` as byte strings of at least `width` bytes (padding never changes the order)."""
    return keys if keys.dtype.itemsize >= width else keys.astype(f"S{width}")


def positions(sorted_keys: Any, keys: Any) -> tuple[Any, Any]:
    """For each of `keys`: its position in `sorted_keys` and whether it is there."""
    if len(sorted_keys) == 0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    # The keys are brought to the stored width, never the stored keys to theirs (a copy of them all);
    # a key longer than that width cannot be stored.
    fits = np.char.str_len(keys) <= sorted_keys.dtype.itemsize
    needles = keys.astype(sorted_keys.dtype) if keys.dtype != sorted_keys.dtype else keys
    found_at = np.searchsorted(sorted_keys, needles)
    clipped = np.minimum(found_at, len(sorted_keys) - 1)
    return clipped, (sorted_keys[clipped] == needles) & fits


# The value of each hex digit's character code (lower case, as md5() and hexdigest() write them);
# 255 for every other character.
_HEX_DIGITS = np.full(256, 255, dtype=np.uint8)
_HEX_DIGITS[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = np.arange(16, dtype=np.uint8)


def digests_of_hex(hashes: list[str]) -> Any:
    """16-byte digests (S16) of md5 hashes written as 32 hex digits; a value that is not one (empty,
    another length, another character) becomes 16 NUL bytes, which no feature's digest equals."""
    n = len(hashes)
    # 33 code points: a 33rd that is not NUL means a longer value; a shorter one is NUL-padded.
    codes = np.array(hashes, dtype="U33").view(np.uint32).reshape(n, 33)
    nibbles = _HEX_DIGITS[np.minimum(codes[:, :32], 255)]
    is_md5 = (nibbles != 255).all(axis=1) & (codes[:, 32] == 0)
    digests = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    digests[~is_md5] = 0
    return np.ascontiguousarray(digests).view("S16").reshape(n)


class Packing(NamedTuple):
    """Ids of one shape kept in about half their bytes: the same prefix ending in a character that is no
    hex digit (or none), then lower-case hex digits with dashes at the same places: UUIDs, BGT's lokaalIDs
    (`G0363.` and 32 hex digits), fixed-width numbers. The digits are kept as 4-bit nibbles (16 bytes for
    a UUID's 36): nothing is lost (`unpacked`), and packed ids sort as their text does ('0'-'9' before
    'a'-'f', in bytes as in value), so the sorted order PostgreSQL sends stays sorted.

    A million UUIDs took 36 MB as bytes: with their digests, most of what a re-sync's memory grows by
    with the source (issue 12: peak memory at 1,000,000 features within 1.2× of 100,000).
    """

    prefix: bytes
    length: int  # of every id, in bytes
    digits: Any  # the positions of the hex digits in an id
    dashes: Any  # the positions of the dashes

    @property
    def width(self) -> int:
        return (len(self.digits) + 1) // 2


_DASH = ord("-")
_HEX_CHARACTERS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def packing_of(keys: Any) -> Packing | None:
    """The packing that fits every one of `keys`, None when they have no common shape (or packing them
    would save nothing)."""
    if len(keys) == 0:
        return None
    length = keys.dtype.itemsize
    matrix = keys.view(np.uint8).reshape(len(keys), length)
    if not bool((matrix[:, -1] != 0).all()):  # shorter ones end in NUL (PostgreSQL text holds none)
        return None
    first = matrix[0]
    varying = np.flatnonzero((matrix != first).any(axis=0))
    prefix = int(varying[0]) if len(varying) else length
    # The prefix ends before the hex digits and dashes that follow its last other character: a first
    # chunk of sorted UUIDs all starting with "0" must not make "0" the prefix of every id.
    hexy = (_HEX_DIGITS[first] != 255) | (first == _DASH)
    while prefix > 0 and hexy[prefix - 1]:
        prefix -= 1
    dashes = prefix + np.flatnonzero(first[prefix:] == _DASH)
    digits = prefix + np.flatnonzero(first[prefix:] != _DASH)
    packing = Packing(bytes(first[:prefix]), length, digits, dashes)
    if len(digits) < 2 or packing.width >= length:
        return None
    if not bool((matrix[:, dashes] == _DASH).all()) or bool((_HEX_DIGITS[matrix[:, digits]] == 255).any()):
        return None
    return packing


def packed(packing: Packing, keys: Any) -> tuple[Any, Any]:
    """`keys` packed (S<width>), and whether each fits the packing; one that does not is packed as
    zeros and can be no packed id's (the caller checks `fits`)."""
    n = len(keys)
    wide = widened(keys, packing.length)
    matrix = wide.view(np.uint8).reshape(n, wide.dtype.itemsize)
    fits = matrix[:, packing.length - 1] != 0
    if matrix.shape[1] > packing.length:
        fits &= matrix[:, packing.length] == 0
    if packing.prefix:
        fits &= (matrix[:, : len(packing.prefix)] == np.frombuffer(packing.prefix, dtype=np.uint8)).all(axis=1)
    fits &= (matrix[:, packing.dashes] == _DASH).all(axis=1)
    nibbles = _HEX_DIGITS[matrix[:, packing.digits]]
    fits &= (nibbles != 255).all(axis=1)
    nibbles[~fits] = 0
    if len(packing.digits) % 2:
        nibbles = np.hstack([nibbles, np.zeros((n, 1), dtype=np.uint8)])
    pairs = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    return np.ascontiguousarray(pairs).view(f"S{packing.width}").reshape(n), fits


def unpacked(packing: Packing, keys: Any) -> Any:
    """Packed `keys` as the ids' bytes again (S<length>)."""
    n = len(keys)
    pairs = np.ascontiguousarray(keys).view(np.uint8).reshape(n, packing.width)
    nibbles = np.empty((n, 2 * packing.width), dtype=np.uint8)
    nibbles[:, 0::2], nibbles[:, 1::2] = pairs >> 4, pairs & 15
    matrix = np.empty((n, packing.length), dtype=np.uint8)
    matrix[:, : len(packing.prefix)] = np.frombuffer(packing.prefix, dtype=np.uint8)
    matrix[:, packing.dashes] = _DASH
    matrix[:, packing.digits] = _HEX_CHARACTERS[nibbles[:, : len(packing.digits)]]
    return matrix.view(f"S{packing.length}").reshape(n)


def stored_positions(stored: Any, packing: Packing | None, keys: Any) -> tuple[Any, Any]:
    """`positions` of `keys` among sorted `stored` keys, kept packed by `packing` (None: as bytes); a key
    of another shape than the packing's is not there."""
    if packing is None:
        return positions(stored, keys)
    needles, fits = packed(packing, keys)
    at, found = positions(stored, needles)
    return at, found & fits


def stored_bytes(stored: Any, packing: Packing | None) -> Any:
    """Stored keys as the ids' bytes again."""
    return stored if packing is None else unpacked(packing, stored)


class Levels:
    """A growing set of byte strings: sorted levels of doubling size (a log-structured merge), so adding
    a batch costs its own sort plus amortised O(log n) merging, and memory stays the keys' bytes."""

    def __init__(self) -> None:
        self._levels: list[Any] = []

    def __len__(self) -> int:
        return sum(len(level) for level in self._levels)

    def contains(self, keys: Any) -> Any:
        found = np.zeros(len(keys), dtype=bool)
        for level in self._levels:
            found |= positions(level, keys)[1]
        return found

    def add(self, keys: Any) -> None:
        """Adds `keys`, which must be distinct and not in the set yet."""
        if len(keys) == 0:
            return
        level = np.sort(keys)
        while self._levels and len(self._levels[-1]) <= len(level):
            level = merged(self._levels.pop(), level)
        self._levels.append(level)


class IdSet:
    """A growing set of ids. The ids of the shape of the first ones added are kept packed (`Packing`:
    16 bytes for a UUID's 36), the others as bytes; an id has one shape, so it can be in one part only.
    A first import of 1,000,000 UUIDs held them and their last merge's copy: 72 MB as bytes."""

    def __init__(self) -> None:
        self._packing: Packing | None = None
        self._packed = Levels()
        self._other = Levels()
        self._shaped = False  # whether the packing was chosen (from the first ids added)

    def __len__(self) -> int:
        return len(self._packed) + len(self._other)

    def contains(self, keys: Any) -> Any:
        if self._packing is None:
            return self._other.contains(keys)
        needles, fits = packed(self._packing, keys)
        found = np.zeros(len(keys), dtype=bool)
        found[fits] = self._packed.contains(needles[fits])
        found[~fits] = self._other.contains(keys[~fits])
        return found

    def add(self, keys: Any) -> None:
        """Adds `keys`, which must be distinct and not in the set yet."""
        if len(keys) == 0:
            return
        if not self._shaped:
            self._packing, self._shaped = packing_of(keys), True
        if self._packing is None:
            self._other.add(keys)
            return
        needles, fits = packed(self._packing, keys)
        self._packed.add(needles[fits])
        self._other.add(keys[~fits])


def merged(low: Any, high: Any) -> Any:
    """Two sorted arrays of distinct keys as one, written once into its place: sorting their
    concatenation held three copies at the last merge (~110 MB of 1,000,000 UUIDs), this two."""
    width = max(low.dtype.itemsize, high.dtype.itemsize)
    low, high = widened(low, width), widened(high, width)
    result = np.empty(len(low) + len(high), dtype=low.dtype)
    # Each key of `high` goes after the keys of `low` below it and the keys of `high` before it.
    at = np.searchsorted(low, high) + np.arange(len(high))
    from_low = np.ones(len(result), dtype=bool)
    from_low[at] = False
    result[at] = high
    result[from_low] = low
    return result


def first_occurrences(keys: Any) -> Any:
    """True for the first of equal keys (in order), False for the repeats."""
    first = np.zeros(len(keys), dtype=bool)
    if len(keys):
        _, index = np.unique(keys, return_index=True)
        first[index] = True
    return first
