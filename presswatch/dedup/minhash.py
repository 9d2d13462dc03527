"""The pinned MinHash scheme: signatures stay comparable across runs, releases and machines.

Everything that decides a signature is fixed here and named by SCHEME.version, stored with
every signature and band row: datasketch's `affine32` permutations (h -> a*h + b mod 2^32,
a and b drawn from numpy's legacy RandomState(seed), stable by numpy's own promise), NUM_PERM
of them, over the CRC-32 shingle hashes of shingles.py. A test pins the signature of a fixed
text, so a library upgrade that changed any of it fails loudly instead of silently mixing
incomparable signatures. Change any number below -> bump the version.

Bands: BANDS x ROWS values (ROWS=3, 42 bands, 126 of the 128 values): a pair with Jaccard J
becomes a candidate with probability 1-(1-J^3)^42: 0.99 at 0.5, 0.94 at 0.4, 0.68 at 0.3,
0.04 at 0.1. Low on purpose: a copy cut to half its length has Jaccard 0.5 but containment 1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from presswatch.dedup.shingles import SHINGLE_WORDS


@dataclass(frozen=True)
class Scheme:
    num_perm: int = 128
    seed: int = 1
    bands: int = 42
    rows: int = 3
    shingle_words: int = SHINGLE_WORDS
    permutations: str = "datasketch-affine32"
    shingle_hash: str = "crc32"

    @property
    def version(self) -> str:
        return (f"mh1:w{self.shingle_words}:{self.shingle_hash}:{self.permutations}:"
                f"p{self.num_perm}:s{self.seed}:b{self.bands}r{self.rows}")


SCHEME = Scheme()


def _identity(value: int) -> int:
    return value  # shingles arrive hashed already (CRC-32), see shingles.py


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of datasketch's affine32 permutations, drawn as its MinHash._init_permutations
    draws them (a test keeps them equal): importing datasketch imports scipy, ~0.7 CPU s of
    every run's main process, and only the reference signature below needs the library."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def signature_datasketch(shingles: Iterable[int], scheme: Scheme = SCHEME) -> np.ndarray:
    """The signature as datasketch computes it (one Python call per shingle): the reference
    `signature` is tested against."""
    from datasketch import MinHash

    m = MinHash(num_perm=scheme.num_perm, seed=scheme.seed, scheme="affine32", hashfunc=_identity)
    m.update_batch(list(shingles))
    return np.asarray(m.hashvalues, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch's affine32 applies (uint32 wraps)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(shingles: Iterable[int], scheme: Scheme = SCHEME) -> np.ndarray:
    """NUM_PERM uint32 minimum hash values (all 0xFFFFFFFF for an empty set). datasketch's
    affine32 arithmetic over a numpy array of the shingles at once (its update_batch calls the
    hash function once per shingle in Python: 5x slower); its permutations, identical values."""
    a, b = _permutations(scheme.num_perm, scheme.seed)
    hv = np.fromiter(shingles, dtype=np.uint32)
    if not hv.size:
        return np.full(scheme.num_perm, 0xFFFFFFFF, dtype=np.uint32)
    return (_fmix32(hv)[:, None] * a + b).min(axis=0).astype(np.uint32, copy=False)


def band_keys(sig: np.ndarray, scheme: Scheme = SCHEME) -> list[int]:
    """One signed 64-bit key per band (band number folded in, so bands never collide with
    each other): what the warehouse's minhash_bands table stores and joins on."""
    raw, width = sig.astype("<u4").tobytes(), 4 * scheme.rows
    keys = []
    for band in range(scheme.bands):
        digest = hashlib.blake2b(band.to_bytes(2, "little") + raw[band * width:(band + 1) * width],
                                 digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
