import sys

from filmstudio.cli import main

sys.exit(main())
