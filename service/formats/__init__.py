"""File formats of bulk import and export: JSON Lines, CSV and PFIF (People Finder Interchange
Format) XML.

Every reader turns a byte stream into `ParsedRow`s: a record in the JSON import shape (the
body of `POST /api/v1/imports`, with its `kind`) or that row's error. Readers never validate
a record against the API schema: that stays with `service.imports.parse_row`, the one place
that decides what a record may hold, so a row from a file and a row from JSON fail alike.
A problem with the file as a whole (it is not UTF-8, its header is wrong, its XML is broken
or carries a DTD) raises `FormatError`, and then nothing of the file should be stored.

`dispatch.read_import_file` picks the reader by the request's Content-Type.

Writers take records in the API output shape (`RecordOut` as JSON) and yield text chunks.
Nothing here touches the database or the web layer, so the command line can use it too.
"""

from service.formats.rows import DuplicateLink, FormatError, ParsedRow

__all__ = ["DuplicateLink", "FormatError", "ParsedRow"]
