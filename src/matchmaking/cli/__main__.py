"""``python -m matchmaking.cli``: the ``matchmaking`` command (the demo starts its worker this way)."""

import sys

from matchmaking.cli import main

sys.exit(main())
