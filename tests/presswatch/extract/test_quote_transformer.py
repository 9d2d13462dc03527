"""The transformer attribution scorer: its input pairs, its gate, the method setting, and the
shipped file on PolNeAR dev (the rule of ../shared/eval/README.md, in process)."""

from __future__ import annotations

import math
import random

import pytest

from presswatch.extract import quote_transformer as qtf
from presswatch.sentiment import transformer as tm
from presswatch.extract.attribution_scorer import BlendedScorer, Candidate
from presswatch.extract.quotes import method_scorer
from presswatch.records import Quote


def _quote(body: str, content: str, speaker: str | None) -> Quote:
    start = body.index(content)
    s_start = body.index(speaker) if speaker else None
    return Quote(0, content, speaker, "said", start, start + len(content), "indirect",
                 s_start, s_start + len(speaker) if speaker else None)


def _scorer(calls: list, z_tfm: float, threshold=0.5, rule_threshold=0.4) -> qtf.TransformerAttributionScorer:
    def logit(pair):
        calls.append(pair)
        return z_tfm
    return qtf.TransformerAttributionScorer({"v=said": 1.0, "v=wants": -3.0}, 0.0, threshold,
                                            rule_threshold, (-4.0, 4.0), logit)


def _candidate(feats: list[str]) -> Candidate:
    body = "She said it would rain."
    return Candidate(_quote(body, "it would rain", "She"), feats, body)


def test_blend_is_the_mean_of_the_two_logits():
    calls: list = []
    scorer = _scorer(calls, z_tfm=1.0)
    p = scorer.candidate_probability(_candidate(["v=said"]), 0.5)
    assert p == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert calls == [("She said", "it would rain")]


def test_gate_skips_the_encoder_only_where_the_linear_logit_settles_it():
    """Random linear logits and encoder logits: the gated decision equals the full blend's, and
    the encoder runs only when its clipped logit could cross the bar."""
    rng = random.Random(0)
    for _ in range(500):
        z_lin, z_tfm = rng.uniform(-12, 12), rng.uniform(-9, 9)
        threshold = rng.choice([0.3, 0.46, 0.6])
        calls: list = []
        scorer = qtf.TransformerAttributionScorer({"x": z_lin}, 0.0, threshold, threshold, (-4.0, 4.0),
                                                  lambda pair, z=z_tfm, c=calls: c.append(pair) or z)
        full = 1 / (1 + math.exp(-(z_lin + min(max(z_tfm, -4.0), 4.0)) / 2)) >= threshold
        assert scorer.accepts(_candidate(["x"])) == full
        assert scorer.keeps(_candidate(["x"])) == full
        settled = abs(z_lin - 2 * math.log(threshold / (1 - threshold))) > 4.0
        assert (calls == []) == settled


def test_rule_rows_are_all_kept_without_a_veto():
    calls: list = []
    scorer = _scorer(calls, z_tfm=-4.0, rule_threshold=0.0)
    assert scorer.keeps(_candidate(["v=wants"]))
    assert calls == []


def test_method_setting_picks_the_scorer(monkeypatch):
    monkeypatch.delenv("PRESSWATCH_QUOTE_METHOD", raising=False)
    assert type(method_scorer()) is BlendedScorer  # the default: the words and the small encoder (session 30)
    monkeypatch.setenv("PRESSWATCH_QUOTE_METHOD", "model")
    assert type(method_scorer()) is BlendedScorer
    monkeypatch.setenv("PRESSWATCH_QUOTE_METHOD", "transfomer")
    with pytest.raises(ValueError, match="PRESSWATCH_QUOTE_METHOD='transfomer'"):
        method_scorer()


def _torch_ready() -> bool:
    try:
        qtf.require_torch()
    except tm.MissingTransformerExtra:
        return False
    return qtf.WEIGHTS_PATH.exists()


needs_model = pytest.mark.skipif(not _torch_ready(), reason="torch or presswatch/data/quote_transformer.npz missing: "
                                                          "pip install 'presswatch[transformer]'")


@needs_model
def test_transformer_method_loads_the_shipped_file(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_QUOTE_METHOD", "transformer")
    scorer = method_scorer()
    assert isinstance(scorer, qtf.TransformerAttributionScorer)
    assert 0.0 < scorer.threshold <= 1.0 and scorer.clip[0] < 0 < scorer.clip[1]
    body = "The senator said on Tuesday that the bill would gut the program."
    speech = Candidate(_quote(body, "the bill would gut the program", "The senator"), ["v=said"], body)
    body2 = "The senator wore a blue suit that the tailor had cut."
    thing = Candidate(_quote(body2, "the tailor had cut", "The senator"), ["v=wore"], body2)
    assert scorer.candidate_probability(speech, 2.0) > scorer.candidate_probability(thing, 2.0)


@needs_model
@pytest.mark.quality
@pytest.mark.slow  # ~40 CPU s: the dev articles parsed, then every candidate read by the encoder
def test_transformer_method_on_polnear_dev(nlp, eval_data, monkeypatch):
    from presswatch.evaluation import polnear

    monkeypatch.setenv("PRESSWATCH_QUOTE_METHOD", "transformer")
    rows = polnear.evaluate(nlp, eval_data / "polnear" / "polnear_dev.jsonl", baseline=None)
    got = {(r["task"], r["metric"]): r["value"] for r in rows}
    # Measured in process on dev when the file was shipped (docs/quotes.md, session 24): F1 70.6
    # (P 88.5, R 58.8); the linear scorer 68.6 (P 88.6, R 56.0). Issue 14's goal: 70 at P >= 85.
    assert got["quotes_who_said_what", "e2e_precision"] >= 87.5
    assert got["quotes_who_said_what", "e2e_f1"] >= 70.0
    assert got["quotes_direct", "e2e_f1"] >= 85.5  # direct quotes are the rules': unchanged, 86.0
