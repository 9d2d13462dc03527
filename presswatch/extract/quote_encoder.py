"""The default attribution scorer's small cross-encoder (docs/quotes.md, session 30).

The transformer method's six-layer encoder reads a candidate's words best, at ~17 CPU ms a call in
torch. This one is the packaged all-MiniLM-L6-v2's first layers, distilled from that encoder on
unlabelled news and fitted on PolNeAR train (presswatch.evaluation.quote_encoder_training), shipped
as an int8 ONNX graph with its WordPiece vocabulary: onnxruntime and tokenizers run it, so the
default install needs no torch, and a call costs ~2 CPU ms.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # as the transformer method: the side's last words and the content's first


class QuoteEncoder:
    """A (side, content) pair's logit. The ONNX session is made in the process that first calls it
    (one per NLP worker: a session is not shared across fork), with one thread: each worker is one core."""

    def __init__(self, model: Path) -> None:
        self.model = Path(model)
        self.tokenizer_path = self.model.with_suffix(".tokenizer.json")
        for path in (self.model, self.tokenizer_path):
            if not path.is_file():
                raise FileNotFoundError(f"quote encoder file missing: {path} (re-create it with "
                                        "`presswatch train quotes`)")
        self._pid, self._session, self._tokenizer = None, None, None

    def _ready(self):
        if self._pid != os.getpid():
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
            tokenizer.no_padding()
            tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
            options = ort.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(self.model), options, providers=["CPUExecutionProvider"])
            self._tokenizer, self._pid = tokenizer, os.getpid()
        return self._session, self._tokenizer

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """One logit a pair, each run alone: the int8 graph quantizes its activations per call, so a
        pair batched with others would not get the logit the scorer gets for it."""
        return np.array([self(pair) for pair in pairs], dtype=np.float32)

    def __call__(self, pair: tuple[str, str]) -> float:
        session, tokenizer = self._ready()
        e = tokenizer.encode(*pair)
        feed = {name: np.array([values], dtype=np.int64) for name, values in
                (("input_ids", e.ids), ("attention_mask", e.attention_mask), ("token_type_ids", e.type_ids))}
        return float(session.run(None, feed)[0][0, 0])
