"""`presswatch train sentiment`: retrain the target-sentiment model from NewsMTSC train."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from presswatch.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a model: `presswatch train sentiment` (NewsMTSC train set)")
    p.add_argument("what", choices=["sentiment"], help="which model to train")
    p.add_argument("--eval-dir", type=Path, help="gold data folder (default: PRESSWATCH_EVAL_DIR or ../shared/eval)")
    p.add_argument("--out", type=Path,
                   help="where to write the weights (default: the shipped presswatch/data/target_sentiment.npz)")
    p.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    from presswatch.evaluation.sentiment_training import DEFAULT_OUT, train_sentiment

    settings = Settings.load(eval_dir=args.eval_dir)
    figures = train_sentiment(settings.eval_dir, args.out or DEFAULT_OUT)
    print(json.dumps(figures, indent=2))
    return 0
