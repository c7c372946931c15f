"""Which parser reads an uploaded file, and the limits on what may be uploaded."""

from __future__ import annotations

from pathlib import PurePath

from django.utils.translation import gettext as _

from questionbank.importers.bank_yaml import parse_bank_yaml
from questionbank.importers.gift import parse_gift
from questionbank.importers.moodle_xml import parse_moodle_xml
from questionbank.importers.qa_text import parse_qa_text
from questionbank.importers.tabular import parse_csv
from questionbank.importers.types import LineError, ParseResult

MAX_BYTES = 2 * 1024 * 1024
PARSERS = {
    ".md": parse_qa_text,
    ".txt": parse_qa_text,
    ".yaml": parse_bank_yaml,
    ".yml": parse_bank_yaml,
    ".csv": parse_csv,
    ".xml": parse_moodle_xml,
    ".gift": parse_gift,
}


class ImportRefused(Exception):
    """A file that is not read at all: too large, of an unknown type, or not UTF-8 text."""


def parse_document(name: str, data: bytes) -> ParseResult:
    """Parse by the file's type; a GIFT export is named `*.gift.txt`, so that it opens as text."""
    suffix = ".gift" if name.lower().endswith(".gift.txt") else PurePath(name).suffix.lower()
    if suffix not in PARSERS:
        raise ImportRefused(
            _("%(name)s: files of type %(type)s cannot be imported; use %(types)s")
            % {"name": name, "type": suffix or "(none)", "types": ", ".join(PARSERS)}
        )
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            # Only MAX_BYTES + 1 bytes of an upload are read: its size is unknown, only that it is too large.
            _("%(name)s is larger than the %(max)d KB allowed") % {"name": name, "max": MAX_BYTES // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ParseResult(errors=[LineError(line, _("not UTF-8 text"))])
    try:
        return PARSERS[suffix](text)
    except RecursionError:  # 5,000 "[" in a YAML file, elements nested as deep in XML
        return ParseResult(errors=[LineError(1, _("nested too deeply to be read"))])
