"""Stage 1: what is new in the drop folder (one look, two looks, or the watcher)."""
