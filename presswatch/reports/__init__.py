"""Reports with charts: the figures of a period (model.py), their charts (charts.py) and the
self-contained HTML page (html.py). `presswatch report` and the daily digest use them."""
