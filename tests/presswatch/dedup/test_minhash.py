"""The MinHash scheme's permutations, drawn without importing datasketch."""

import subprocess
import sys

import numpy as np

from presswatch.dedup.minhash import SCHEME, _permutations


def test_permutations_are_datasketchs():
    from datasketch import MinHash

    for num_perm, seed in ((SCHEME.num_perm, SCHEME.seed), (16, 7)):
        ref = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        a, b = _permutations(num_perm, seed)
        assert a.dtype == b.dtype == np.uint32
        assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_signatures_do_not_import_datasketch():
    """datasketch imports scipy: a second of every run's main process, for nothing."""
    code = ("import sys; from presswatch.dedup.minhash import signature; signature({1, 2}); "
            "print('datasketch' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
