"""cluster/minhash.py: the MinHash signatures and LSH band layout the workers compute without datasketch are
datasketch's, bit for bit, and computing band keys imports neither datasketch nor scipy.integrate."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from newsline.cluster.minhash import Permutations, band_ranges


@pytest.mark.parametrize(("num_perm", "seed"), [(64, 1), (128, 7), (16, 0)])
def test_signatures_equal_datasketch_affine32(num_perm, seed):
    perms = Permutations.drawn(num_perm, seed)
    ref = MinHash(num_perm=num_perm, seed=seed)
    assert (ref.permutations[0] == perms.a).all() and (ref.permutations[1] == perms.b).all()
    rng = np.random.default_rng(seed)
    for n in (1, 3, 40, 700):
        values = rng.integers(0, 2**32, n, dtype=np.uint64)
        mh = MinHash(num_perm=num_perm, seed=seed, permutations=ref.permutations, scheme=ref.scheme, hashfunc=int)
        mh.update_batch([int(v) for v in values])
        assert (perms.signature(values.astype(np.uint32)) == mh.hashvalues).all()


def test_empty_set_signature_is_the_empty_sentinel_as_in_datasketch():
    assert (Permutations.drawn(64, 1).signature(np.array([], np.uint32)) == MinHash(num_perm=64).hashvalues).all()


def test_band_layout_is_the_one_minhashlsh_chooses():
    compared = 0
    for threshold in (0.1, 0.2, 0.3, 0.45, 0.6, 0.8):
        for num_perm in (32, 64, 100, 128):
            ref = tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)
            assert band_ranges(threshold, num_perm) == ref, (threshold, num_perm)
            compared += 1
    assert compared == 24 and len(band_ranges(0.3, 64)) == 21


def test_band_keys_do_not_import_datasketch_or_scipy_integrate():
    code = ("import sys; from newsline.cluster.bands import band_keys; "
            "assert band_keys(' '.join(str(i) for i in range(80))); "
            "print(sorted(m for m in ('datasketch', 'scipy.integrate') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
