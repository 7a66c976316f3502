"""MinHash signatures and LSH band ranges in numpy alone: the per-article half of near-duplicate linking.

The per-article stage computes every article's band keys on the engine's workers. `datasketch` would do it,
but importing it pulls in `scipy.integrate` (its LSH picks the band layout by numerical integration): about
0.9 s and 35 MB in every worker for a few array operations. This module computes the same numbers:

- `Permutations`: datasketch 2.0's default "affine32" scheme (odd multipliers and offsets drawn from
  `numpy.random.RandomState(seed)` in the same order), applied after the MurmurHash3 32-bit finalizer;
- `band_ranges`: the (bands, rows) layout `MinHashLSH` chooses for a threshold and a number of permutations,
  minimising the same equally weighted false-positive and false-negative areas, integrated with
  Gauss-Legendre quadrature (exact for these polynomials of degree ≤ num_perm).

A test checks both against datasketch bit for bit; the corpus stages' in-memory index (`link_duplicates`)
still uses datasketch's `MinHashLSH`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["Permutations", "band_ranges"]

_EMPTY = np.uint32(0xFFFFFFFF)  # the value of a permutation slot no shingle reached (datasketch's sentinel)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (uint32 arithmetic wraps: that is the intended modulo 2^32)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


@dataclass(frozen=True, slots=True, eq=False)
class Permutations:
    """`num_perm` affine permutations h -> a*h + b (mod 2^32), `a` odd, drawn as datasketch draws them."""

    a: np.ndarray
    b: np.ndarray

    @classmethod
    def drawn(cls, num_perm: int, seed: int) -> Permutations:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        return cls(a, b)

    def signature(self, values: np.ndarray) -> np.ndarray:
        """The MinHash signature (uint32, one value per permutation) of a set of 32-bit hashed values."""
        if not len(values):
            return np.full(len(self.a), _EMPTY, dtype=np.uint32)
        hv = _fmix32(np.asarray(values, dtype=np.uint32)).reshape(-1, 1)
        return (hv * self.a + self.b).min(axis=0)


@lru_cache(maxsize=16)
def band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The signature slices `MinHashLSH(threshold, num_perm)` hashes as bands: `b` bands of `r` rows, the
    layout minimising the false-positive area below the threshold plus the false-negative area above it."""
    nodes, weights = np.polynomial.legendre.leggauss(max(32, num_perm))

    def area(lo: float, hi: float, b: int, r: int, positive: bool) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p = 1 - (1 - s ** float(r)) ** float(b)
        return float((hi - lo) / 2 * np.dot(weights, p if positive else 1 - p))

    best, layout = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = 0.5 * area(0.0, threshold, b, r, True) + 0.5 * area(threshold, 1.0, b, r, False)
            if error < best:
                best, layout = error, (b, r)
    b, r = layout
    return tuple((i * r, (i + 1) * r) for i in range(b))
