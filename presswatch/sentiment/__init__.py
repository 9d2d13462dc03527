"""Sentiment: the scores of sentences, quotes, entity mentions and documents.

Public API in score.py. Module layers, each importing only those before it: vader (VADER's
lexicon and compound score), clauses, features, classifier (the sentiment classifier),
document, score.
"""
