"""Charts of the digest and the reports: altair specs (specs.py) rendered offline to SVG or PNG
by vl-convert (render.py). Pure: rows in, images out; nothing is fetched."""

from presswatch.charts.render import svg_data_uri, to_png, to_svg
from presswatch.charts.specs import attention_chart, share_of_voice_chart, speakers_chart, tone_chart

__all__ = ["attention_chart", "share_of_voice_chart", "speakers_chart", "svg_data_uri", "to_png", "to_svg",
           "tone_chart"]
