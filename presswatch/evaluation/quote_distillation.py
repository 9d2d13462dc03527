"""The cross-encoder's labels for the default attribution scorer (docs/quotes.md, session 25).

The transformer method's cross-encoder (presswatch/data/quote_transformer.npz, fitted on PolNeAR
train 300-840) reads a candidate's words better than a sum of word weights can, but costs ~17 CPU ms
a call. Its blend probabilities on candidates from news without quote gold (BBC News and the
longer Reuters-21578 bodies in ../shared/eval) are extra, soft-labelled training rows for the
linear scorer, which then reads the candidates' words at the linear scorer's price.
Needs torch (the `presswatch[transformer]` extra) at training time only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from presswatch.evaluation.dedup import bbc_text

REUTERS_MIN_WORDS = 200  # most Reuters items are a few lines of market figures, with no one quoted


def unlabelled_texts(eval_dir: Path) -> list[str]:
    """BBC News articles and the longer Reuters-21578 bodies (title, blank line, body)."""
    bbc = sorted((Path(eval_dir) / "bbc_news" / "bbc").glob("*/*.txt"))
    reuters = Path(eval_dir) / "reuters21578" / "reuters21578_docs.jsonl"
    if not bbc or not reuters.is_file():
        raise FileNotFoundError(f"the unlabelled news for the attribution scorer is missing under {eval_dir}: "
                                "bbc_news/bbc/*/*.txt and reuters21578/reuters21578_docs.jsonl "
                                "(see ../shared/eval/README.md)")
    texts = [bbc_text(path) for path in bbc]
    with open(reuters, encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            body = item.get("body") or ""
            if len(body.split()) >= REUTERS_MIN_WORDS:
                texts.append((item.get("title") or "") + "\n\n" + body)
    return texts


def teacher_logits(rows: list[tuple[list[str], tuple[str, str]]], path: Path | None = None
                   ) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """(the linear partner's logit, the encoder's unclipped logit) of the transformer method for each
    row, and the method's clip."""
    from presswatch.extract.attribution_scorer import AttributionScorer
    from presswatch.extract.quote_transformer import WEIGHTS_PATH, load_classifier, logits

    tokenizer, model, meta = load_classifier(path or WEIGHTS_PATH)
    pairs = [pair for _, pair in rows]
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))  # less padding
    z_tfm = np.zeros(len(pairs))
    if pairs:
        z_tfm[order] = logits(tokenizer, model, [pairs[i] for i in order])
    linear = AttributionScorer(meta["linear"]["weights"], meta["linear"]["bias"], threshold=0.0)
    return np.array([linear.logit(feats) for feats, _ in rows]), z_tfm, tuple(meta["clip"])
