"""`python tools/democorpus [--check] [--out DIR]`: build the demo corpus (see build.py)."""

import sys
from pathlib import Path

if not __package__:  # run as a folder: import the package from tools/, not its modules from here
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from democorpus.build import main  # noqa: E402

sys.exit(main())
