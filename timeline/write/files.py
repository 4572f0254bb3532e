"""What a written file was: its digest, and the size, modification time and inode that show it
is still that file (nobody replaced or damaged it since)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileRecord:
    digest: str
    size: int
    mtime_ns: int
    ino: int

    def matches(self, path: str) -> bool:
        try:
            stat = os.stat(path)  # on the string: a Path costs more than the call, 10,000s of times
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.ino)

    def same_bytes(self, data: bytes, path: str) -> bool:
        """True if `path` still holds this file, and this file holds `data`."""
        return len(data) == self.size and digest(data) == self.digest and self.matches(path)
