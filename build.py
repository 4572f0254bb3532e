"""`python build.py [options]` is `timeline build [options]`."""

import sys

from timeline.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
