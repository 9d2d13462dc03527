"""Stage 2: files in, Articles out (txt, md, html, json, jsonl)."""
