"""``python -m besoksrapport.cli``: the same as the ``besoksrapport`` command."""

import sys

from besoksrapport.cli.main import main

sys.exit(main())
