"""The default method's second opinion on its closest calls (docs/sentiment.md, session 32).

The linear model (classifier.py) is fast but 13 points of macro-F1 below the transformer method on
held-out NewsMTSC train. Where the linear model's two most probable classes are within `margin` of
each other (~5% of news targets), the target is scored again by the transformer method's network,
shipped here as a per-channel int8 ONNX graph (onnxruntime and tokenizers, no torch), and the two
are pooled as the transformer method pools them (transformer.blend). The other ~95% keep the
linear model's probabilities exactly. The graph, its tokenizer and the settings are written by
`python -m presswatch.evaluation.sentiment_router_training`.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.sentiment.transformer import MAX_TOKENS, blend, target_token_mask, window

ROUTER_PATH = Path(__file__).resolve().parents[1] / "data" / "sentiment_router.onnx"


def top_two_gap(p: np.ndarray) -> np.ndarray:
    """Per row, the most probable class's probability minus the second's: how sure the row is."""
    top2 = np.sort(p, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


class SentimentRouter:
    """route(items, p_linear): the linear probabilities with the close calls pooled with the
    network's. The ONNX session is made in the process that first needs it (one per NLP worker:
    a session is not shared across fork), with one thread: each worker is one core."""

    def __init__(self, model: Path) -> None:
        self.model = Path(model)
        self.tokenizer_path = self.model.with_suffix(".tokenizer.json")
        self.settings_path = self.model.with_suffix(".json")
        for path in (self.model, self.tokenizer_path, self.settings_path):
            if not path.is_file():
                raise FileNotFoundError(f"sentiment router file missing: {path} (re-create it with "
                                        "`python -m presswatch.evaluation.sentiment_router_training`)")
        self.settings = json.loads(self.settings_path.read_text())
        self.margin = float(self.settings["margin"])
        self.linear_weight = float(self.settings["linear_weight"])
        self._pid, self._session, self._tokenizer = None, None, None

    def _ready(self):
        if self._pid != os.getpid():
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
            tokenizer.no_padding()
            tokenizer.enable_truncation(MAX_TOKENS)
            options = ort.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(self.model), options, providers=["CPUExecutionProvider"])
            self._tokenizer, self._pid = tokenizer, os.getpid()
        return self._session, self._tokenizer

    def close_calls(self, p_linear: np.ndarray) -> np.ndarray:
        """Indices of the rows whose top two classes are within the margin."""
        return np.flatnonzero(top_two_gap(p_linear) < self.margin)

    def own_probs(self, items: list[tuple[str, int, int]]) -> np.ndarray:
        """The network's probabilities (n, 3), one target a call: the int8 graph quantizes its
        activations per call, so a target batched with others would get other probabilities."""
        session, tokenizer = self._ready()
        out = np.zeros((len(items), 3))
        for i, (sentence, start, end) in enumerate(items):
            text, a, b = window(sentence, start, end)
            e = tokenizer.encode(text)
            feed = {"input_ids": np.array([e.ids], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask], dtype=np.int64),
                    "tmask": target_token_mask(e.offsets, (a, b))[None]}
            z = session.run(None, feed)[0][0].astype(np.float64)
            z = np.exp(z - z.max())
            out[i] = z / z.sum()
        return out

    def route(self, items: list[tuple[str, int, int]], p_linear: np.ndarray) -> np.ndarray:
        """A copy of p_linear with its close calls' rows replaced by the pooled probabilities."""
        p = np.array(p_linear, dtype=float, copy=True)
        close = self.close_calls(p)
        if len(close):
            own = self.own_probs([items[i] for i in close])
            p[close] = blend(own, p[close], self.linear_weight)
        return p


@lru_cache(maxsize=1)
def load_router() -> SentimentRouter | None:
    """The shipped router, or None when its graph is absent (the linear model alone)."""
    return SentimentRouter(ROUTER_PATH) if ROUTER_PATH.exists() else None
