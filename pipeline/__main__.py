"""`python -m pipeline`: the command line."""

import sys

try:
    from pipeline.cli import main

    sys.exit(main())
except KeyboardInterrupt:  # Ctrl-C while starting up, before main() handles it itself
    print("interrupted; outputs are as they were", file=sys.stderr)
    sys.exit(130)
