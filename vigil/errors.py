"""Vigil's exceptions. Messages are written for the person at the keyboard."""

from __future__ import annotations


class VigilError(Exception):
    """Base class: the CLI prints these as clean errors, without a traceback."""


class IngestFailure(VigilError):
    """A source could not be read or parsed; the message names the source."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class BadInputLine(VigilError):
    """A JSON Lines input line that is not a valid document."""

    def __init__(self, where: str, line_no: int, reason: str) -> None:
        super().__init__(f"{where}:{line_no}: {reason}")
        self.where = where
        self.line_no = line_no
        self.reason = reason


class StoreError(VigilError):
    """The database could not be opened, migrated or written."""


class DataFileError(VigilError):
    """A shipped data file (gazetteer, patterns, taxonomy) is missing or invalid."""
