"""The article-level stance model on PerSenT dev, cross-validated, through the production path."""

import numpy as np
import pytest

from presswatch.evaluation import persent
from presswatch.sentiment.stance import STANCE_PATH, load_models


def test_folds_are_stratified_and_cover_everything():
    y = np.array([0] * 10 + [1] * 30 + [2] * 50)
    f = persent.folds(y)
    assert set(f) == set(range(persent.FOLDS))
    for k in range(persent.FOLDS):
        assert np.bincount(y[f == k], minlength=3).tolist() == [2, 6, 10]


def test_each_method_has_its_fit_and_the_shipped_file_agrees():
    assert persent.fit_settings("model")["kind"] == "ordinal"
    assert persent.fit_settings("transformer")["kind"] == "multinomial"
    for method, m in load_models(STANCE_PATH).items():  # the file was fitted with today's settings
        assert m.kind == persent.fit_settings(method)["kind"] == m.meta["fit"]["kind"], method


def test_cross_validation_is_out_of_fold():
    # labels unrelated to the features: out-of-fold figures must stay near chance
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 16)), rng.integers(0, 3, 300)
    assert persent.cross_validate(X, y)["macro_f1"] < 45.0


def test_cross_validation_figure_is_the_mean_over_fold_draws():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 240)
    X = rng.normal(size=(240, 4)) + y[:, None] * 0.4  # some signal, so draws differ
    cv = persent.cross_validate(X, y, seeds=(0, 1, 2))
    assert cv["fold_seeds"] == [0, 1, 2] and len(cv["macro_f1_by_seed"]) == 3
    assert cv["macro_f1"] == pytest.approx(np.mean(cv["macro_f1_by_seed"]), abs=0.06)
    assert cv["macro_f1_sd"] > 0  # the draws disagree: one draw alone would not be the figure
    assert persent.cross_validate(X, y, seeds=(0,))["macro_f1_by_seed"] == cv["macro_f1_by_seed"][:1]


@pytest.mark.quality
def test_stance_model_cross_validated_on_persent_dev(eval_data):
    X, y, used = persent.persent_matrix(eval_data, "model")
    cv = persent.cross_validate(X, y, **persent.fit_settings(used))
    # measured 47.1 over ten fold draws with the ordinal model (sd 0.7; negative 37.0, neutral
    # 39.0, positive 65.4; session 37); the multinomial on the same figures 44.0 (33.5 / 35.0 /
    # 63.4); the mean-score rule 42.4
    assert cv["macro_f1"] >= 45.5
    assert min(cv["f1"].values()) >= 35.0
    # the shipped file holds the same figure (retrain with `presswatch train stance` if it moved)
    assert load_models(STANCE_PATH)[used].meta["cv"]["macro_f1"] == pytest.approx(cv["macro_f1"], abs=1.5)


@pytest.mark.quality
@pytest.mark.xfail(reason="issue 15 goal not met: PerSenT dev CV macro-F1 47.1 with negative 37.0 and "
                          "neutral 39.0 (goal 50, no class below 40); docs/sentiment.md", strict=True)
def test_stance_goal(eval_data):
    X, y, used = persent.persent_matrix(eval_data, "model")
    cv = persent.cross_validate(X, y, **persent.fit_settings(used))
    assert cv["macro_f1"] >= 50.0 and min(cv["f1"].values()) >= 40.0
