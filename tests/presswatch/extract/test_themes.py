import pytest

from presswatch.records import Article
from presswatch.extract.extraction import extract_articles
from presswatch.extract.themes import load_taxonomy


def themes(nlp, text):
    (x,) = extract_articles(nlp, [Article(None, text)])
    return {t.theme: t for t in x.themes}


def test_default_taxonomy_is_broad():
    taxonomy = load_taxonomy()
    assert len(taxonomy) >= 25
    assert {"conflict", "elections", "economy", "health", "climate", "terrorism",
            "diplomacy", "protest", "crime", "technology"} <= set(taxonomy)


@pytest.mark.parametrize(
    "text, theme",
    [
        ("Voters queued at polling stations as the election count began.", "elections"),
        ("Inflation and unemployment rose as the economy slowed.", "economy"),
        ("Thousands of protesters marched through the capital.", "protest"),
        ("Airstrikes and artillery shelling continued despite the ceasefire.", "conflict"),
        ("Emissions must fall to slow climate change, scientists said.", "climate"),
    ],
)
def test_theme_detected(nlp, text, theme):
    assert theme in themes(nlp, text)


def test_phrase_counts_once_and_score_is_per_thousand_words(nlp):
    text = "Climate change is real. " * 2 + "word " * 92  # 100 words
    found = themes(nlp, text.strip())
    assert found["climate"].hits == 2  # "climate change" twice: not "climate" + "climate change"
    assert found["climate"].score == pytest.approx(20.0)


def test_custom_taxonomy_file(tmp_path):
    path = tmp_path / "themes.toml"
    path.write_text('[space]\nkeywords = ["rocket launch", "orbit*"]\n')
    assert set(load_taxonomy(path)) == {"space"}
    path.write_text('[empty]\nkeywords = []\n')
    load_taxonomy.cache_clear()
    with pytest.raises(ValueError, match="empty"):
        load_taxonomy(path)


@pytest.mark.parametrize("text, says", [
    ('[conflict]\nkeywords = ["war", \n', r"themes file .*themes.toml: Invalid value \(at end of document\)"),
    ('[conflict]\nkeywords = "war"\n', "theme 'conflict' needs a non-empty list of keywords"),
])
def test_a_broken_themes_file_is_an_operator_error_naming_the_file(tmp_path, text, says):
    # was a bare TOMLDecodeError / ValueError: every article of the run quarantined "nlp failed"
    from presswatch.errors import OperatorError

    path = tmp_path / "themes.toml"
    path.write_text(text)
    with pytest.raises(OperatorError, match=says) as err:
        load_taxonomy(path)
    assert err.value.exit_code == 2 and isinstance(err.value, ValueError)
