"""Imported by the NLP fork server when it starts (presswatch.extract.workers._context): load the
model named by PRESSWATCH_PRELOAD_MODEL, so every worker forked from the server has it."""

import gc
import os

from presswatch.extract import extraction as extract  # noqa: F401 - the workers' code, imported once here
from presswatch.extract import wire  # noqa: F401 - and pyarrow, which the workers send their results with
from presswatch.extract.pipeline import load_lookups, load_nlp

try:
    load_nlp(os.environ.get("PRESSWATCH_PRELOAD_MODEL", ""))
except Exception:  # noqa: BLE001 - a worker's plugin loads it again and raises clearly
    pass

try:  # the word lists the extraction builds on first use (case restoration, names)
    load_lookups()
except Exception:  # noqa: BLE001 - built again where used, and raised there
    pass

try:  # the sentiment models, for the same reason
    from presswatch.sentiment import score as sentiment

    sentiment.load_scorers()
    if os.environ.get("PRESSWATCH_SENTIMENT_METHOD") == "transformer":  # torch + weights, once per server
        from presswatch.sentiment import transformer

        transformer.load_model()
    if os.environ.get("PRESSWATCH_QUOTE_METHOD") == "transformer":
        from presswatch.extract.quote_transformer import load_transformer_scorer

        load_transformer_scorer()
except Exception:  # noqa: BLE001 - loaded again where used
    pass

# What the server loaded lives as long as the workers: out of the cyclic GC's reach, a forked
# worker's full collections stop walking it (its GC CPU ~0.2 -> 0.08 s per 318 BBC articles,
# docs/performance.md, session 9) and stop touching, and so copying, the server's pages.
gc.freeze()
