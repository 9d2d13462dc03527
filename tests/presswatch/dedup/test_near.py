"""Shingles, the pinned MinHash scheme, and the exact checks behind a near-duplicate."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import numpy as np

from presswatch.dedup.minhash import SCHEME, band_keys, signature
from presswatch.dedup.near import NearDupIndex, Pair, Thresholds, confirm, copy_of, doc, overlap
from presswatch.dedup.shingles import shingle_hashes, words

TEXT = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
        "its third increase this year, citing stubborn inflation in services and wages.")


def _text(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randint(0, 5000)}" for _ in range(n))


def test_words_fold_case_and_width_and_drop_punctuation():
    assert words("The BANK, ｔｈｅ bank!") == ["the", "bank", "the", "bank"]


def test_shingles_of_short_and_empty_texts():
    assert shingle_hashes("") == frozenset()
    assert len(shingle_hashes("only three words")) == 1
    assert len(shingle_hashes("one two three four five six")) == 2  # 5-word shingles


def test_signature_is_pinned():
    """A library upgrade that changed the permutations or the hashing fails here, not silently."""
    sig = signature(shingle_hashes(TEXT))
    assert sig.dtype == np.uint32 and sig.shape == (SCHEME.num_perm,)
    assert hashlib.sha256(sig.astype("<u4").tobytes()).hexdigest()[:16] == PINNED_SIGNATURE
    assert SCHEME.version == "mh1:w5:crc32:datasketch-affine32:p128:s1:b42r3"


def test_band_keys_are_per_band_and_stable():
    keys = band_keys(signature(shingle_hashes(TEXT)))
    assert len(keys) == SCHEME.bands == len(set(keys))
    assert keys == band_keys(signature(shingle_hashes(TEXT)))


def test_containment_sees_a_trimmed_copy_that_jaccard_misses():
    full = _text(1, 400)
    half = " ".join(full.split()[:200])
    jac, con = overlap(shingle_hashes(full), shingle_hashes(half))
    assert 0.45 < jac < 0.55 and con == 1.0
    assert confirm(doc("a", None, full), doc("b", None, half), Thresholds()) is not None


def test_confirm_refuses_unrelated_short_and_distant_pairs():
    t = Thresholds()
    a, b = _text(1, 300), _text(2, 300)
    assert confirm(doc("a", None, a), doc("b", None, b), t) is None
    assert confirm(doc("a", None, "a b c d e f"), doc("b", None, "a b c d e f g"), t) is None  # too short
    assert confirm(doc("a", date(2024, 1, 1), a), doc("b", date(2024, 2, 1), a + " end"), t) is None
    teaser = " ".join(a.split()[:20])  # contained, but a tenth of the article: Jaccard below the floor
    assert confirm(doc("a", None, a), doc("b", None, teaser), t) is None


def test_index_finds_copies_across_batches_and_copy_of_is_the_earliest():
    base = _text(3, 300)
    idx = NearDupIndex()
    first = idx.add([doc("orig", date(2024, 1, 1), base), doc("other", date(2024, 1, 1), _text(4, 300))])
    assert first == []
    later = idx.add([doc("copy1", date(2024, 1, 2), base + " a local paragraph " + _text(5, 10)),
                     doc("copy2", date(2024, 1, 2), " ".join(base.split()[:200]))])
    assert {(p.a, p.b) for p in later} == {("copy1", "orig"), ("copy2", "orig"), ("copy1", "copy2")}
    order = {"orig": (date(2024, 1, 1), 0), "copy1": (date(2024, 1, 2), 1), "copy2": (date(2024, 1, 2), 2)}
    assert copy_of(later, order) == {"copy1": "orig", "copy2": "orig"}


def test_copy_of_is_the_earliest_partner_and_the_earliest_copies_nothing():
    pairs = [Pair("a", "b", 1, 1), Pair("b", "c", 1, 1)]
    assert copy_of(pairs, {"a": (2,), "b": (3,), "c": (1,)}) == {"b": "c"}  # a's only partner is later


PINNED_SIGNATURE = "2c0718dd2c912764"  # sha256 of the signature of TEXT under SCHEME


def test_a_templated_report_with_new_figures_is_not_a_copy():
    t = Thresholds()
    words = ("The Federal Reserve entered the government securities market to arrange customer repurchase "
             "agreements, a spokesman for the New York Fed said. Dealers said federal funds were trading at the "
             "time of the direct injection of temporary reserves, as the Fed sought to offset the drain from "
             "the Treasury balance and the seasonal rise in currency in circulation this week, and the "
             "market expected the drain to continue into next week, when tax payments fall due, traders said. "
             "It arranged {} billion dlrs on the {}th with {} dealers reporting at {} pct.")
    a = doc("a", date(2024, 3, 17), words.format("2.1", "17", "14", "6.05"))
    b = doc("b", date(2024, 3, 20), words.format("1.5", "20", "12", "6.10"))
    assert overlap(a.shingles, b.shingles)[1] >= t.min_containment  # the words alone would say copy
    assert confirm(a, b, t) is None
    c = doc("c", date(2024, 3, 17), words.format("2.1", "17", "14", "6.05") + " More text follows here today.")
    assert confirm(a, c, t) is not None  # the same figures: a copy


def test_signature_equals_datasketch_update_batch():
    """signature() does datasketch's affine32 arithmetic over a numpy array; it must give exactly
    what datasketch's own update_batch gives, for texts, the empty set and extreme hash values."""
    from presswatch.dedup.minhash import signature_datasketch

    sets = [shingle_hashes(_text(seed, n)) for seed, n in ((1, 400), (2, 30), (3, 6), (4, 2000))]
    sets += [frozenset(), frozenset({0}), frozenset({0xFFFFFFFF, 1, 2**31})]
    for s in sets:
        assert np.array_equal(signature(s), signature_datasketch(s))
    assert signature(frozenset()).tolist() == [0xFFFFFFFF] * SCHEME.num_perm


def test_words_split_once_at_load_give_the_same_docs():
    """The load splits a body once and hands the words to doc() and story_doc()."""
    from presswatch.dedup.stories import story_doc

    body = TEXT + " " + _text(5, 120) + " Shares rose 4.5% to 1,020 pence."
    toks = words(body)
    assert doc("a", None, body, toks) == doc("a", None, body)
    assert story_doc("a", None, "Rates up", body, ["e1"], toks) == story_doc("a", None, "Rates up", body, ["e1"])
