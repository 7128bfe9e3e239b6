import sys

from netiquette.cli import main

sys.exit(main())
