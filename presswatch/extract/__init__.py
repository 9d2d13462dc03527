"""Stage 3: spaCy over a batch, then entities, quotes, amounts, dates and themes."""
