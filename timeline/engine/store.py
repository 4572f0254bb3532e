"""The one store beside the output: what the last build read, made and wrote.

An SQLite database (the standard library's `sqlite3`) in `.<output>.timeline/store.sqlite`,
with one table per kind of record. Rows are read when a build first asks for a table and only
the rows that changed are written, in one transaction: a build killed at any moment leaves the
store as the last finished build left it. Values are plain JSON text, never pickle (a store that
came with a pull request must not be able to run code). A store written by another version of
timeline's code or of this format, or that cannot be read, is dropped: the next build is a cold
one, and gives the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from timeline.engine.fingerprint import CODE

FORMAT = "5"
# Table -> its value columns (every table is keyed by one text column, `key`).
TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("value",),  # the code and format written for, the last build's outcome ...
    "inputs": ("size", "mtime_ns", "ino", "digest"),  # every file a build read, by path
    "drafts": ("digest", "json"),  # each entry or source file's per-file verdict, by path
    "versions": ("json",),  # the draft of a past version of an entry file, by "<blob>:<path>"
    # each file written, the fingerprint of its job, the timeline's keys it read with theirs
    # (JSON), and the attributes it read of entries (text: see `graph.Recorded`)
    "outputs": ("digest", "size", "mtime_ns", "ino", "job", "reads", "entries"),
    "pieces": ("job", "reads", "entries", "text"),  # parts of the exports, by kind and id
    # what was read of each entry: the fingerprint of all of it, and of each attribute (JSON)
    "entries": ("print", "attributes"),
}
Row = tuple[Any, ...]


def store_folder(output: Path) -> Path:
    """The folder beside `output` where its builds keep their state."""
    output = output.absolute()
    return output.parent / f".{output.name}.timeline"


class Store:
    """The store at `path`; a missing one is made by the first commit (a first build that fails
    leaves nothing beside the output). Without a path, the tables live in memory only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tables: dict[str, dict[str, Row]] = {}
        self._changed: dict[str, dict[str, Row | None]] = {name: {} for name in TABLES}
        self._connection = _open(path) if path is not None and path.exists() else None

    @property
    def exists(self) -> bool:
        return self._connection is not None

    def table(self, name: str) -> dict[str, Row]:
        """Every row of a table, by key (read once; do not change it: use `put`)."""
        if name not in self._tables:
            columns = ", ".join(TABLES[name])
            rows = self._query(f"SELECT key, {columns} FROM {name}")
            self._tables[name] = {row[0]: tuple(row[1:]) for row in rows}
        return self._tables[name]

    def put(self, name: str, key: str, row: Row) -> None:
        if self.table(name).get(key) != row:
            self._tables[name][key] = row
            self._changed[name][key] = row

    def delete(self, name: str, key: str) -> None:
        if self.table(name).pop(key, None) is not None:
            self._changed[name][key] = None

    def meta(self, key: str, default: Any = None) -> Any:
        row = self.table("meta").get(key)
        return json.loads(row[0]) if row is not None else default

    def set_meta(self, key: str, value: Any) -> None:
        self.put("meta", key, (json.dumps(value, ensure_ascii=False, sort_keys=True),))

    def commit(self) -> None:
        """Write the rows changed since the last commit, in one transaction."""
        if not any(self._changed.values()) or self.path is None:
            self._changed = {name: {} for name in TABLES}
            return
        if self._connection is None:
            self._connection = _open(self.path)
        if self._connection is None:
            return
        with self._connection:
            for name, rows in self._changed.items():
                marks = ", ".join("?" * (len(TABLES[name]) + 1))
                self._connection.executemany(
                    f"INSERT OR REPLACE INTO {name} VALUES ({marks})",
                    [(key, *row) for key, row in rows.items() if row is not None],
                )
                self._connection.executemany(
                    f"DELETE FROM {name} WHERE key = ?",
                    [(key,) for key, row in rows.items() if row is None],
                )
        self._changed = {name: {} for name in TABLES}

    def forget(self) -> None:
        """Every row, as if the store were new (a build with `--clean`)."""
        for name in TABLES:
            for key in list(self.table(name)):
                self.delete(name, key)
        self._stamp()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _query(self, sql: str) -> Iterator[Row]:
        if self._connection is None:
            return iter(())
        try:
            return iter(self._connection.execute(sql).fetchall())
        except sqlite3.DatabaseError:
            return iter(())

    def _stamp(self) -> None:
        self.set_meta("format", FORMAT)
        self.set_meta("code", CODE)


def _open(path: Path) -> sqlite3.Connection | None:
    """The database at `path`, made anew when missing, unreadable or another version's; None
    when no database can be kept there at all (the build then keeps nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        try:
            connection = sqlite3.connect(path, isolation_level="DEFERRED")
            if _current(connection):
                return connection
            connection.close()
        except sqlite3.DatabaseError:
            pass
        with suppress(OSError):
            path.unlink()
        with suppress(OSError):
            Path(f"{path}-journal").unlink()
    return None


def _current(connection: sqlite3.Connection) -> bool:
    """True if the database holds this version's tables (made now when it holds none)."""
    found = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not found:
        with connection:
            for name, columns in TABLES.items():
                connection.execute(
                    f"CREATE TABLE {name} (key TEXT PRIMARY KEY, {', '.join(columns)})"
                )
            stamp = [("format", json.dumps(FORMAT)), ("code", json.dumps(CODE))]
            connection.executemany("INSERT INTO meta VALUES (?, ?)", stamp)
        return True
    if found != set(TABLES):
        return False
    meta = dict(connection.execute("SELECT key, value FROM meta WHERE key IN ('format', 'code')"))
    return meta == {"format": json.dumps(FORMAT), "code": json.dumps(CODE)}
