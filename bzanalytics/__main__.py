"""`python -m bzanalytics`: the same CLI as the `bzanalytics` command."""

import sys

from bzanalytics.cli import main

sys.exit(main())
