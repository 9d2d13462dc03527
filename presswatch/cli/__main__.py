"""`python -m presswatch.cli`: the same as the `presswatch` command."""

import sys

from presswatch.cli import main

sys.exit(main())
