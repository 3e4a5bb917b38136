"""Run the command line with ``python -m compass_graph``."""

import sys

from compass_graph.cli import main

sys.exit(main())
