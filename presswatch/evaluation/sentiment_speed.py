"""Cost of the sentiment stage against the spaCy stage on the BBC corpus.

The spaCy side here is a stand-in for presswatch/nlp (full small pipeline via nlp.pipe,
sentences and entities turned into an Extraction) so the ratio can be measured on its own:
    python -m presswatch.evaluation.sentiment_speed [EVAL_DIR] [METHOD] [LIMIT]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from presswatch.records import Article, Extraction, Mention, Sentence


def _bbc_articles(eval_dir: Path, limit: int | None) -> list[Article]:
    paths = sorted((Path(eval_dir) / "bbc_news" / "bbc").glob("*/*.txt"))[:limit]
    out = []
    for p in paths:
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # sport/199.txt is latin-1
            text = raw.decode("latin-1")
        title, _, body = text.partition("\n")
        out.append(Article(title=title.strip(), body=body.strip()))
    return out


def benchmark_bbc(eval_dir: Path, method: str = "model", limit: int | None = None) -> dict:
    import spacy

    from presswatch.config import Settings
    from presswatch.sentiment.score import score_batch

    arts = _bbc_articles(eval_dir, limit)
    nlp = spacy.load(Settings().model)
    t0 = time.perf_counter()
    exs = []
    for art, doc in zip(arts, nlp.pipe((a.body for a in arts), batch_size=64)):
        sents = list(doc.sents)
        sent_idx = {s.start: i for i, s in enumerate(sents)}
        ex = Extraction(article_id=art.article_id)
        ex.sentences = [Sentence(i, s.start_char, s.end_char) for i, s in enumerate(sents)]
        ex.mentions = [
            Mention(e.text, e.label_, sent_idx[e.sent.start], e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
        ]
        exs.append(ex)
    nlp_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    score_batch(arts, exs, method)
    sent_s = time.perf_counter() - t0
    words = sum(a.word_count for a in arts)
    return {
        "articles": len(arts),
        "words": words,
        "mentions": sum(len(e.mentions) for e in exs),
        "sentences": sum(len(e.sentences) for e in exs),
        "method": exs[0].sentiment_method if exs else method,
        "nlp_seconds": round(nlp_s, 2),
        "sentiment_seconds": round(sent_s, 2),
        "nlp_words_per_s": round(words / nlp_s),
        "sentiment_share_of_nlp": round(sent_s / nlp_s, 3),
    }


if __name__ == "__main__":
    ed = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/eval")
    meth = sys.argv[2] if len(sys.argv) > 2 else "model"
    lim = int(sys.argv[3]) if len(sys.argv) > 3 else None
    print(benchmark_bbc(ed, meth, lim))
