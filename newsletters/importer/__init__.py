"""The archive importer: plain-text updates ("UPDATE NO n …") into the records of the data model.

text.py reads and normalises a file, parse.py turns its lines into plain dataclasses (no database),
load.py writes them as records, one transaction per file.
"""

from .text import ImportFailure, read_update

__all__ = ["ImportFailure", "read_update"]
