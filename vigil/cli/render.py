"""Render rows as a rich table, CSV or JSON: the CLI's only output formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import Enum

from rich.console import Console
from rich.table import Table


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def render(console: Console, columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: Format,
           *, title: str | None = None, records: Sequence[dict] | None = None) -> None:
    """Print ``rows`` under ``columns``; JSON prints ``records`` (full detail) when given."""
    if fmt is Format.json:
        payload = list(records) if records is not None else [dict(zip(columns, row)) for row in rows]
        console.out(json.dumps(payload, ensure_ascii=False, indent=2, default=str), highlight=False)
    elif fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        console.out(buffer.getvalue(), end="", highlight=False)
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*["" if v is None else str(v) for v in row])
        console.print(table)


def counts_table(console: Console, title: str, counts: dict[str, int], label: str) -> None:
    table = Table(title=title, header_style="bold")
    table.add_column(label)
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key or "(unknown)", str(value))
    console.print(table)
