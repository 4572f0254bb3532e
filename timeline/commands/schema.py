"""`timeline schema`: print the JSON Schema of an entry, or write them all."""

from __future__ import annotations

import argparse
import sys

from timeline.commands import EXIT_OK
from timeline.validate.schemas import schema_text, write_schemas


def cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        for path in write_schemas():
            print(path, file=sys.stderr)
    else:
        sys.stdout.write(schema_text(args.kind))
    return EXIT_OK
