"""`python -m briefgen`: the command line."""

import sys

from briefgen.app.cli import main

sys.exit(main())
