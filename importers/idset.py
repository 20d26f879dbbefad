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

from typing import Any

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


class IdSet:
    """A growing set of ids: sorted levels of doubling size (a log-structured merge), so adding a
    batch costs its own sort plus amortised O(log n) merging, and memory stays the ids' bytes."""

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
