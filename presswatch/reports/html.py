"""A report as one self-contained HTML page: charts inline as data-URI images, tables of the
spikes and the articles, every piece of web text escaped (`presswatch.text.html_text`).

The page loads nothing and runs nothing: a Content-Security-Policy allows only inline styles
and data: images, so even a slip in the escaping could not run a script or fetch a URL.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from presswatch.charts import svg_data_uri
from presswatch.reports.model import Report
from presswatch.text import html_text, safe_url

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #666; } .figures span { display: inline-block; margin-right: 2rem; font-size: 1.1rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; } figcaption { color: #666; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
"""


def render_html(report: Report, charts: dict[str, str], generated: datetime | None = None) -> str:
    f = report.figures
    subject = f" — {html_text(f.entity, 120)}" if f.entity else ""
    generated = generated or datetime.now(timezone.utc)
    out = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>presswatch report {f.start} to {f.end}{subject}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>presswatch report{subject}</h1>",
        f'<p class="meta">Article days {_day(f.start)} to {_day(f.end)} · generated {generated:%Y-%m-%d %H:%M} UTC'
        f" · spikes at k = {report.k:g}, {report.min_articles}+ articles</p>",
        '<p class="figures">'
        + (f"<span><b>{sum(a['articles'] for a in f.attention):,}</b> naming it</span>" if f.entity else "")
        + f"<span><b>{report.articles:,}</b> articles</span><span><b>{report.sources:,}</b> sources</span>"
        f"<span><b>{report.days:,}</b> days</span><span><b>{len(f.spikes)}</b> spikes</span></p>",
    ]
    if not charts:
        out.append("<p>No articles in this period.</p>")
    for title, svg in charts.items():
        out.append(f'<figure><img alt="{html_text(title)}" src="{svg_data_uri(svg)}">'
                   f"<figcaption>{html_text(title)}</figcaption></figure>")
    out += _table("Spikes", ["day", "entity", "label", "articles", "usual a day", "z", "level"],
                  [[_day(s["day"]), html_text(s["name"], 120), html_text(s["label"]), _num(s["articles"]),
                    _num(s["baseline_mean"]), _num(s["z_score"]), _num(s["spike_level"])] for s in f.spikes],
                  numeric={3, 4, 5, 6}, empty="No spike in this period.")
    out += _table("Articles", ["day", "title", "source", "tone"],
                  [[_day(a["day"]), _title(a), html_text(a["source"], 80), _num(a["tone"])] for a in report.titles],
                  numeric={3}, empty="No articles.")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _title(article: dict) -> str:
    text = html_text(article.get("title") or "(no title)", 200)
    url = safe_url(article.get("url"))
    if not url:
        return text
    return f'<a href="{html_text(url, 2000)}" rel="noopener noreferrer nofollow">{text}</a>'


def _table(title: str, columns: list[str], rows: list[list[str]], numeric: set[int], empty: str) -> list[str]:
    out = [f"<h2>{title}</h2>"]
    if not rows:
        return out + [f"<p>{empty}</p>"]
    out.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="n">{v}</td>' if i in numeric else f"<td>{v}</td>"
                                    for i, v in enumerate(row)) + "</tr>")
    return out + ["</tbody></table>"]


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else html_text(value)


def _num(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return html_text(f"{value:,}" if isinstance(value, int) else value)
