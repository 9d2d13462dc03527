"""Search, domain half: the Boolean query language (parser.py), its words as the full-text
index sees them (tokens.py), saved searches (saved.py) and result snippets (snippet.py).
Compiling a query to SQL and running it is warehouse/search.py's."""
