"""presswatch: a media-monitoring pipeline. Pure domain code: never imports prefect."""

__version__ = "0.1.0"
