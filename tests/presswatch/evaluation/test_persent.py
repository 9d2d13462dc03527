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


def test_cross_validation_is_out_of_fold():
    # labels unrelated to the features: out-of-fold figures must stay near chance
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 16)), rng.integers(0, 3, 300)
    assert persent.cross_validate(X, y)["macro_f1"] < 45.0


@pytest.mark.quality
def test_stance_model_cross_validated_on_persent_dev(eval_data):
    X, y, used = persent.persent_matrix(eval_data, "model")
    cv = persent.cross_validate(X, y)
    # measured 44.5 (negative 33.2, neutral 37.3, positive 63.1; refitted 2026-12-02); the mean-score rule 42.4
    assert cv["macro_f1"] >= 42.5
    assert min(cv["f1"].values()) >= 32.0
    # the shipped file holds the same figure (retrain with `presswatch train stance` if it moved)
    assert load_models(STANCE_PATH)[used].meta["cv"]["macro_f1"] == pytest.approx(cv["macro_f1"], abs=1.5)


@pytest.mark.quality
@pytest.mark.xfail(reason="issue 15 goal not met: PerSenT dev CV macro-F1 44.5 with negative 33.2 and "
                          "neutral 37.3 (goal 50, no class below 40); docs/sentiment.md", strict=True)
def test_stance_goal(eval_data):
    X, y, _ = persent.persent_matrix(eval_data, "model")
    cv = persent.cross_validate(X, y)
    assert cv["macro_f1"] >= 50.0 and min(cv["f1"].values()) >= 40.0
