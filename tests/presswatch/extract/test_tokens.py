import spacy

from presswatch.extract.extraction import _text_length, sentences
from presswatch.extract.tokens import lowers, word_lowers

TEXT = "The U.S. Minister said:  “We’ll pay £1,000!”\n\nThen, IN CAPS, twenty - two more... "


def test_columns_equal_the_token_attributes():
    nlp = spacy.blank("en")
    for text in (TEXT, "", " ", "One"):
        doc = nlp(text)
        assert lowers(doc) == [t.lower_ for t in doc]
        assert lowers(doc) is lowers(doc)  # read once per Doc
        assert word_lowers(doc) == [t.lower_ for t in doc if not (t.is_punct or t.is_space)]
        assert _text_length(doc) == len(doc.text)


def test_sentences_from_the_body_equal_sentences_from_the_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(TEXT)
    assert sentences(doc, TEXT.lower()) == sentences(doc)  # the body may differ in case only
