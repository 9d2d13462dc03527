"""`presswatch train sentiment`: retrain the target-sentiment model from NewsMTSC train;
`presswatch train quotes`: retrain the attribution scorer from PolNeAR train."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from presswatch.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a model: `presswatch train sentiment` (NewsMTSC train set), "
                      "`presswatch train quotes` (PolNeAR train set, and the BBC and Reuters news of the eval "
                      "folder labelled by the transformer method: needs presswatch[transformer])")
    p.add_argument("what", choices=["sentiment", "quotes", "stance"],
                   help="which model to train (stance: the article-level model, on PerSenT dev)")
    p.add_argument("--eval-dir", type=Path, help="gold data folder (default: PRESSWATCH_EVAL_DIR or ../shared/eval)")
    p.add_argument("--method", choices=["model", "transformer"], default="model",
                   help="the linear model (default) or the fine-tuned transformer (optional extra "
                   "presswatch[transformer]): for sentiment docs/sentiment_transformer.md, for quotes "
                   "the attribution scorer of PRESSWATCH_QUOTE_METHOD=transformer (docs/quotes.md)")
    p.add_argument("--out", type=Path,
                   help="where to write the weights (default: the shipped file in presswatch/data/)")
    p.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    settings = Settings.load(eval_dir=args.eval_dir)
    if args.what == "quotes" and args.method == "transformer":
        from presswatch.evaluation import quote_transformer_training as qtt
        from presswatch.extract.pipeline import load_nlp

        figures = qtt.train(settings.eval_dir, args.out or qtt.WEIGHTS_PATH, load_nlp(settings.model))
    elif args.what == "quotes":
        from presswatch.evaluation import quote_encoder_training as qet
        from presswatch.extract.attribution_scorer import SCORER_PATH
        from presswatch.extract.pipeline import load_nlp

        figures = qet.train(settings.eval_dir, args.out or SCORER_PATH, load_nlp(settings.model))
    elif args.what == "stance":
        from presswatch.evaluation.persent import train_stance
        from presswatch.sentiment.stance import STANCE_PATH

        figures = train_stance(settings.eval_dir, args.out or STANCE_PATH, settings.model)
    elif args.method == "transformer":
        from presswatch.evaluation import transformer_training

        figures = transformer_training.train_transformer(settings.eval_dir,
                                                         args.out or transformer_training.DEFAULT_OUT)
    else:
        from presswatch.evaluation.sentiment_training import DEFAULT_OUT, train_sentiment

        figures = train_sentiment(settings.eval_dir, args.out or DEFAULT_OUT)
    print(json.dumps(figures, indent=2))
    return 0
