"""The article-level stance model: fitting, persistence, the shipped file, the features."""

from pathlib import Path

import numpy as np
import pytest

from presswatch.sentiment import stance
from presswatch.sentiment.document import EntityItems
from presswatch.sentiment.stance import FEATURES, Evidence, StanceModel, features, load_models, save_models


def _separable(n=90, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = rng.normal(size=(n, len(FEATURES)))
    X[:, 0] += 3.0 * (y - 1)  # the class shifts the first feature
    return X, y


def test_fit_learns_a_separable_problem():
    X, y = _separable()
    m = StanceModel.fit(X, y)
    assert (m.proba(X).argmax(1) == y).mean() > 0.9
    assert np.allclose(m.proba(X).sum(1), 1.0)


@pytest.mark.parametrize("kind, columns", [("ordinal", 2), ("multinomial", 3)])
def test_both_kinds_learn_an_ordered_problem(kind, columns):
    X, y = _separable()
    m = StanceModel.fit(X, y, kind=kind)
    assert m.kind == kind and m.W.shape == (len(FEATURES) + 1, columns)
    p = m.proba(X)
    assert (p >= 0).all() and np.allclose(p.sum(1), 1.0)
    assert (p.argmax(1) == y).mean() > 0.9


def test_ordinal_cut_points_stay_ordered_and_weights_are_shared():
    X, y = _separable()
    m = StanceModel.fit(X, y, kind="ordinal")
    assert m.W[0, 0] < m.W[0, 1]  # P(negative) <= P(negative or neutral) for every article
    assert np.array_equal(m.W[1:, 0], m.W[1:, 1])
    assert m.W[1, 0] < 0  # feature 0 (row 1) shifts the class up, so it lowers P(class <= k)


def test_unknown_kind_is_refused():
    X, y = _separable()
    with pytest.raises(ValueError, match="ordinal"):
        StanceModel.fit(X, y, kind="tree")


def test_balanced_fit_predicts_the_rare_class():
    X, y = _separable(120)
    keep = (y != 0) | (np.arange(len(y)) % 4 == 0)  # negatives rare
    m = StanceModel.fit(X[keep], y[keep], balanced=True)
    assert (m.proba(X[y == 0]).argmax(1) == 0).mean() > 0.7


def test_save_load_round_trip(tmp_path):
    X, y = _separable()
    models = {"model": StanceModel.fit(X, y), "old": StanceModel.fit(X, y, kind="multinomial")}
    models["model"].meta = {"data": "synthetic"}
    save_models(tmp_path / "s.npz", models)
    back = load_models(tmp_path / "s.npz")
    assert back["model"].meta == {"data": "synthetic"}
    for name, m in models.items():
        assert back[name].kind == m.kind
        assert np.allclose(back[name].proba(X), m.proba(X))


def test_load_refuses_a_file_with_other_features(tmp_path):
    path = tmp_path / "s.npz"
    np.savez(path, features=np.array(["other"]))
    with pytest.raises(ValueError, match="retrain"):
        load_models(path)


def test_shipped_model_has_its_provenance():
    assert stance.STANCE_PATH.exists(), "run `presswatch train stance`"
    models = load_models(stance.STANCE_PATH)
    assert {"model", "lexicon"} <= set(models)
    meta = models["model"].meta
    assert meta["data"] == "PerSenT dev.csv" and len(meta["sha256"]) == 64
    assert meta["articles"] == 578 and meta["folds"] == 5
    assert set(meta["cv"]["f1"]) == {"negative", "neutral", "positive"}


def test_features_of_empty_and_full_evidence():
    empty = Evidence(EntityItems(("X", "PERSON")), np.zeros((0, 3)), 1.0, None)
    v = features(empty)
    assert len(v) == len(FEATURES) and v[FEATURES.index("mean_score")] == 0.0
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])
    ev = Evidence(EntityItems(("X", "PERSON")), probs, 0.25, np.array([0.0, 0.2, 0.8]),
                  said_by=[0.5], said_about=[-0.5, -0.3], sentence_vader=[0.1], doc_tone=-2.0)
    f = dict(zip(FEATURES, features(ev)))
    assert f["mean_score"] == pytest.approx((-0.7 + 0.7 - 0.5) / 3)
    assert f["max_p_neg"] == pytest.approx(0.8)
    assert f["share_neg"] == pytest.approx(2 / 3)
    assert f["lead_score"] == pytest.approx(-0.7)
    assert f["title_score"] == pytest.approx(0.8) and f["in_title"] == 1.0
    assert f["said_by"] == 0.5 and f["said_about"] == pytest.approx(-0.4)
    assert f["doc_tone"] == pytest.approx(-0.2)


@pytest.mark.parametrize("title, names, span", [
    ("SMITH WINS THE CUP", {"John Smith", "Smith"}, (0, 5)),
    ("Markets fall", {"Smith"}, None),
    (None, {"Smith"}, None),
    ("Blacksmith strikes", {"Smith"}, None),  # whole words only
])
def test_title_span(title, names, span):
    assert stance.title_span(title, names) == span


def test_stance_path_is_in_the_package():
    assert stance.STANCE_PATH.parent == Path(stance.__file__).resolve().parents[1] / "data"
