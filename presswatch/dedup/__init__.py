"""Near-duplicates, wire copy and stories (issue 19): pure functions over article texts.

shingles.py (words -> shingle hashes), minhash.py (the pinned MinHash scheme and its LSH
bands), near.py (confirming candidate pairs; an in-memory index for evaluation), wire.py
(agency credits), stories.py (grouping articles about one event). The warehouse keeps the
bands and links (warehouse/dedup.py, warehouse/stories.py); docs/dedup.md explains why.
"""
