"""Write the default method's router (presswatch/sentiment/router.py): the MiniLM transformer
network (transformer_sentiment_minilm.npz, the transformer method's until session 35) as one
per-channel int8 ONNX graph, its tokenizer, and the margin under which the linear model's calls are
scored again.

The margin is set by cost, not by a dev figure: the ROUTE_SHARE of held-out NewsMTSC train targets
(the tenth neither the network nor, here, the linear model trained on) the linear model is least
sure of. Needs the transformer extra (torch) to export; the router runs without it.

    python -m presswatch.evaluation.sentiment_router_training [../shared/eval]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from presswatch.evaluation.newsmtsc import read_newsmtsc
from presswatch.evaluation.sentiment_training import macro_f1
from presswatch.evaluation.transformer_training import heldout_linear_probs, heldout_split
from presswatch.sentiment import transformer as tm
from presswatch.sentiment.router import ROUTER_PATH, SentimentRouter, top_two_gap

# ~5% of news targets: on BBC, ~1.7 an article at ~8.6 CPU ms each (docs/sentiment.md, session 32),
# what the ingest benchmark's ratio (>= 0.90) leaves room for; 10% would cost twice that.
ROUTE_SHARE = 0.05


def export_int8(out: Path) -> dict:
    """The MiniLM transformer network as one graph: (input_ids, attention_mask, tmask) -> logits;
    returns the network file's meta."""
    torch, _, model_dir = tm.require_torch()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = tm.TransformerTargetModel.load(tm.MINILM_WEIGHTS_PATH)
    net = model.net

    class Whole(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, input_ids, attention_mask, tmask):
            return self.net.upper(self.net.lower(input_ids, attention_mask), attention_mask, tmask)

    tok = model.encode_texts(["The senator praised the plan on Monday."])
    enc = torch.from_numpy(tok["input_ids"].astype(np.int64))
    att = torch.from_numpy(tok["attention_mask"].astype(np.int64))
    tmask = torch.from_numpy(tm.target_token_mask(tok["offset_mapping"][0], (4, 11))[None])  # "senator"
    with tempfile.TemporaryDirectory() as tmp, torch.inference_mode():
        fp32 = Path(tmp) / "router.onnx"
        names = ["input_ids", "attention_mask", "tmask"]
        torch.onnx.export(Whole().eval(), (enc, att, tmask), str(fp32), input_names=names, output_names=["logits"],
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "logits": {0: "batch"}},
                          opset_version=17, dynamo=False)
        # Per channel: per-tensor int8 cost 2.6 points of held-out macro-F1, per channel 0.9.
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copyfile(Path(model_dir) / "tokenizer.json", out.with_suffix(".tokenizer.json"))
    return model.meta


def train_router(eval_dir: Path, out: Path = ROUTER_PATH, log=print) -> dict:
    meta = export_int8(out)
    targets = read_newsmtsc(Path(eval_dir) / "newsmtsc" / "train.jsonl")
    y = np.array([t.label for t in targets])
    train, val = heldout_split(targets)
    p_lin = heldout_linear_probs(targets, y, train, val)
    margin = float(np.quantile(top_two_gap(p_lin), ROUTE_SHARE))
    weights = tm.MINILM_WEIGHTS_PATH
    settings = {"margin": round(margin, 4), "linear_weight": float(meta["linear_weight"]), "share": ROUTE_SHARE,
                "network": weights.name, "network_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
                "data": "NewsMTSC train.jsonl, held-out tenth"}
    out.with_suffix(".json").write_text(json.dumps(settings, indent=2) + "\n")
    router = SentimentRouter(out)
    items = [(targets[i].sentence, targets[i].start, targets[i].end) for i in val]
    routed = router.route(items, p_lin)
    figures = {"heldout_targets": len(val), "routed": int(len(router.close_calls(p_lin))),
               "heldout_macro_f1_linear": round(macro_f1(y[val], p_lin.argmax(1)), 2),
               "heldout_macro_f1_routed": round(macro_f1(y[val], routed.argmax(1)), 2)}
    settings["figures"] = figures
    out.with_suffix(".json").write_text(json.dumps(settings, indent=2) + "\n")
    log(f"router: margin {settings['margin']}, held-out macro-F1 {figures['heldout_macro_f1_linear']} -> "
        f"{figures['heldout_macro_f1_routed']} ({figures['routed']} of {len(val)} targets routed)")
    return settings


def main(argv: list[str]) -> int:
    print(json.dumps(train_router(Path(argv[0]) if argv else Path("../shared/eval")), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
