"""Bring your own book: the CSV interchange format, its validation, the transactional loader and the exporter."""

from data.interchange.exporter import export_tables
from data.interchange.format import FORMATS, TABLE_ORDER, format_markdown
from data.interchange.loader import load_files
from data.interchange.reader import FileProblem
from data.interchange.report import LoadError, LoadRejected, LoadReport, TableCounts

__all__ = ["FORMATS", "TABLE_ORDER", "FileProblem", "LoadError", "LoadRejected", "LoadReport", "TableCounts",
           "export_tables", "format_markdown", "load_files"]
