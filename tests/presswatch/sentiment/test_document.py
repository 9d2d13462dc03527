"""Which sentences count toward an entity's article sentiment, and how they add up."""

import pytest

from presswatch.sentiment.document import TargetMention, aggregate, classify, entity_items

BODY = ("Maria Lopez won the city marathon on Sunday. She was praised by the mayor for a "
        "brilliant race. Tom Reed finished last. He was booed and fined for cheating. "
        "Lopez thanked her coach.")


def _sentences(body):
    out, start = [], 0
    for part in body.split(". "):
        end = min(start + len(part) + (0 if part.endswith(".") else 1), len(body))
        out.append((start, end))
        start = end + 1
    return out


def _mention(surface, key, nth=0):
    at = -1
    for _ in range(nth + 1):
        at = BODY.index(surface, at + 1)
    return TargetMention(at, at + len(surface), (key, "PERSON"), True)


def test_pronouns_resolve_to_the_nearest_preceding_person():
    ments = [_mention("Maria Lopez", "Maria Lopez"), _mention("Tom Reed", "Tom Reed"),
             _mention("Lopez", "Maria Lopez", 1)]
    spans = _sentences(BODY)
    ents = entity_items(BODY, spans, ments)
    lopez, reed = ents[("Maria Lopez", "PERSON")], ents[("Tom Reed", "PERSON")]
    assert (lopez.named, lopez.pronoun, lopez.mentions) == (2, 1, 2)
    assert (reed.named, reed.pronoun) == (1, 1)
    assert any("booed" in s for s, _, _ in reed.items)
    assert not any("booed" in s for s, _, _ in lopez.items)
    # the last sentence names Lopez: "her" there adds no second item
    assert sum("coach" in s for s, _, _ in lopez.items) == 1
    assert entity_items(BODY, spans, ments, pronouns=False)[("Tom Reed", "PERSON")].pronoun == 0


@pytest.mark.parametrize("score, label", [(-0.5, "negative"), (0.0, "neutral"), (0.2, "neutral"),
                                          (0.25, "positive")])
def test_classify_and_aggregate(score, label):
    assert classify(score, (-0.3, 0.2)) == label
    assert aggregate([0.5, -0.1]) == pytest.approx(0.2) and aggregate([]) == 0.0
