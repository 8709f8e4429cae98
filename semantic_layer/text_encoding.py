"""Text files that are not UTF-8, read as the spreadsheet that wrote them meant.

DuckDB's CSV reader takes UTF-8 (and strict Latin-1) only, but the files marketers download
are often older: Tableau's "Sample - Superstore.csv" is Windows-1252 (a no-break space and
'®' in product names), Excel's "Unicode Text" export is UTF-16 with a byte-order mark, and
a CSV saved on a Chinese Windows (有赞, 淘宝 order exports) is GBK, read as GB18030.
``utf8_copy`` writes such a file again as UTF-8 so the reader takes it; nothing is dropped:
the few bytes Windows-1252 leaves undefined keep their Latin-1 meaning.
"""

from __future__ import annotations

import codecs
import gzip
import re
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1 << 20
_FALLBACK = "genbi-latin1-fallback"


def _latin1(error: UnicodeError) -> tuple[str, int]:
    """Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as Latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error(_FALLBACK, _latin1)


def is_encoding_error(error: BaseException) -> bool:
    """Whether a DuckDB read failed because the file is not UTF-8."""
    text = str(error).lower()
    return "unicode" in text or "utf-8" in text or "encod" in text


def encoding_of(head: bytes) -> str:
    """The encoding a non-UTF-8 file is in, from its first bytes: UTF-16 when it starts with
    a byte-order mark (or is mostly zero bytes in ASCII text), GB18030 when it reads as Chinese
    in it, else Windows-1252."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    return "gb18030" if reads_as_chinese(head) else "cp1252"


def reads_as_chinese(head: bytes) -> bool:
    r"""Whether bytes that are not UTF-8 are Chinese in GBK / GB18030 (what Excel on a Chinese
    Windows saves, and what 有赞, 淘宝 and 巨量引擎 exports open as): every byte decodes and the
    text's non-ASCII characters are Chinese written in words of two or more, where Windows-1252
    read the same way would give a lone character for each accented letter ('Müller').

    >>> reads_as_chinese('订单号,订单状态\nE1,已完成\n'.encode('gbk'))
    True
    >>> reads_as_chinese('Name,City\nMüller,Zürich\nCafé Noël,Paris\n'.encode('cp1252'))
    False
    """
    try:
        text = head.decode("gb18030")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # only a character cut at the end of the chunk is forgiven
            return False
        text = head[:error.start].decode("gb18030", errors="replace")
    wide = [c for c in text if ord(c) > 127]
    runs = [len(run) for run in _HAN_RUN.findall(text)]
    return bool(runs) and sum(runs) >= 0.8 * len(wide) and sum(n for n in runs if n >= 2) >= 0.6 * sum(runs)


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")


def utf8_copy(source: Path, folder: Path) -> tuple[Path, str]:
    """``source`` written again as UTF-8 inside ``folder``; the encoding it was read in."""
    target = folder / (source.name[:-3] if source.name.lower().endswith(".gz") else source.name)
    with _open(source) as raw, target.open("w", encoding="utf-8", newline="") as out:
        head = raw.read(_CHUNK)
        encoding = encoding_of(head)
        decoder = codecs.getincrementaldecoder(encoding)(errors=_FALLBACK)
        chunk = head
        while chunk:
            out.write(decoder.decode(chunk))
            chunk = raw.read(_CHUNK)
        out.write(decoder.decode(b"", final=True))
    return target, encoding


def _open(source: Path) -> BinaryIO:
    if source.name.lower().endswith(".gz"):
        return gzip.open(source, "rb")  # type: ignore[return-value]
    return source.open("rb")
