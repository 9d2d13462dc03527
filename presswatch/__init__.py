"""presswatch: a media-monitoring pipeline. Pure domain code: never imports prefect, flows,
tasks or warehouse (tests/test_architecture.py checks every import)."""

from importlib.metadata import version

# The one source of the version: pyproject.toml, through the installed metadata. It is the
# pipeline version stored with every article: bump it when extraction output changes.
__version__ = version("presswatch")
