"""What every import of Teńdik reports: the errors of a file by row and column, and the
refusal that carries them while nothing is written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole; 1: the header
    column: str
    message: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
