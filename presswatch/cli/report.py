"""`presswatch report --from D --to D [--entity NAME] -o report.html`: a self-contained HTML
report with charts (attention, share of voice, tone, speakers; spikes marked)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, database_target
from presswatch.config import Settings
from presswatch.monitor.rules import SpikeRules


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write an HTML report with charts over a period of article days")
    p.add_argument("--from", dest="start", type=_day, help="first article day (default: 29 days before --to)")
    p.add_argument("--to", dest="end", type=_day, help="last article day (default: the newest in the warehouse)")
    p.add_argument("--entity", help="an entity's report (its name or any spelling the archive knows, any case)")
    p.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="HTML file (default: report.html)")
    p.add_argument("--charts", type=Path, metavar="DIR", help="also write each chart as SVG and PNG into DIR")
    add_warehouse_option(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    settings = Settings.load(warehouse=args.warehouse)
    rules = SpikeRules(k=settings.spike_sensitivity, min_articles=settings.spike_min_articles,
                       max_age_days=settings.alert_max_age_days, entities=settings.spike_entities)
    from presswatch.reports.charts import figure_charts
    from presswatch.reports.html import render_html
    from warehouse.db import WarehouseBusy, open_db
    from warehouse.reports import newest_day, read_report

    # Said before any work, in one line: these were tracebacks, or the warehouse overwritten by HTML.
    refused = database_target(args.output, settings.warehouse)
    if args.output.is_dir():
        refused = f"-o {args.output} is a folder; give the report's file, e.g. {args.output / 'report.html'}"
    elif args.charts is not None and args.charts.exists() and not args.charts.is_dir():
        refused = f"--charts {args.charts} is a file; give a folder for the chart files"
    if refused:
        print(f"presswatch: {refused}", file=sys.stderr)
        return 2
    try:
        con = open_db(settings.warehouse, read_only=True, timeout=settings.read_timeout)
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    try:
        end = args.end or newest_day(con) or date.today()
        start = args.start or end - timedelta(days=29)
        if start > end:
            print(f"presswatch: --from {start} is after --to {end}", file=sys.stderr)
            return 2
        report = read_report(con, start, end, entity=args.entity, rules=rules)
    finally:
        con.close()
    if args.entity and not report.figures.attention:
        print(f"presswatch: no entity named {args.entity!r} in articles of {start} to {end} "
              "(the name as in `presswatch sql \"SELECT name FROM entities\"`)", file=sys.stderr)
    charts = figure_charts(report.figures)
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render_html(report, charts), encoding="utf-8")
        if args.charts:
            write_chart_files(report, args.charts)
    except OSError as exc:  # no permission, a full disk: one line, not a traceback
        print(f"presswatch: cannot write the report: {exc}", file=sys.stderr)
        return 1
    print(f"report of {start} to {end}: {report.articles:,} articles, {len(report.figures.spikes)} spikes, "
          f"{len(charts)} charts -> {args.output}")
    return 0


def write_chart_files(report, folder: Path) -> None:
    """Each chart as NAME.svg and NAME.png (for slides and e-mail)."""
    from presswatch.charts import to_png, to_svg
    from presswatch.reports.charts import figure_specs

    folder.mkdir(parents=True, exist_ok=True)
    for name, (_title, chart) in figure_specs(report.figures).items():
        (folder / f"{name}.svg").write_text(to_svg(chart), encoding="utf-8")
        (folder / f"{name}.png").write_bytes(to_png(chart))
