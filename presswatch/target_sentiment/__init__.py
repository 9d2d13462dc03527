"""Sentiment toward a named target inside a sentence: features, a linear model, training, eval.

Light by design (numpy only, weights < 1 MB): the pipeline scores every entity mention, and
the sentiment stage must stay a small fraction of the spaCy stage's time.
"""
