"""Sentiment: VADER, the target-sentiment classifier, and the scores of sentences, quotes,
entity mentions and documents."""
