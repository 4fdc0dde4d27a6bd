"""Receiving an uploaded file: streamed from the request to a file in the data folder.

A `multipart/form-data` body is parsed as it arrives (python-multipart's
streaming parser, not Starlette's form, which would spool the whole file
first), hashed and counted on the way, and reading stops at the size limit.
The file part must come after the small text fields (a browser sends fields
in the form's order), so a form's CSRF token is checked before any byte of
the file is written.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import anyio.to_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from server.errors import InvalidRequest, Refused, TooLarge
from server.i18n import marked as _
from server.services.media import Upload

FILE_FIELD = "file"
# Room for the boundaries, part headers and the small fields around the file.
FORM_OVERHEAD = 64 * 1024
MAX_FIELD_SIZE = 8 * 1024
MAX_FIELDS = 16

FieldCheck = Callable[[Mapping[str, str]], None]


@dataclass(frozen=True)
class ReceivedForm:
    """A form's small text fields, and its file when one was chosen."""

    fields: Mapping[str, str]
    upload: Upload | None


@asynccontextmanager
async def received_upload(
    request: Request,
    *,
    directory: Path,
    limit_bytes: int,
    before_file: FieldCheck | None = None,
) -> AsyncIterator[Upload]:
    """The request's one file, in a temporary file that is gone when the block ends.

    `before_file` sees the text fields sent before the file and may refuse them.
    TooLarge when the file passes `limit_bytes` (reading stops there).
    """
    async with received_form(
        request, directory=directory, limit_bytes=limit_bytes, before_file=before_file
    ) as form:
        if form.upload is None:
            raise Refused(_("Choose a file to upload."))
        yield form.upload


@asynccontextmanager
async def received_form(
    request: Request,
    *,
    directory: Path,
    limit_bytes: int,
    max_fields: int = MAX_FIELDS,
    before_file: FieldCheck | None = None,
    keep_fields: bool = False,
) -> AsyncIterator[ReceivedForm]:
    """The request's fields and its file, if one was chosen (`upload` None when the file
    field was left empty), in a temporary file that is gone when the block ends.

    A body declared larger than the limit is refused unread, unless `keep_fields`: then
    the fields before the file are read (and shown to `before_file`) before the refusal.
    """
    boundary = _boundary(request.headers.get("content-type", ""))
    declared = request.headers.get("content-length", "")
    if not keep_fields and declared.isdigit() and int(declared) > limit_bytes + FORM_OVERHEAD:
        raise _too_large(None, limit_bytes)
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".", suffix=".upload") as target:
        reader = _FormReader(
            boundary,
            target=target,
            limit_bytes=limit_bytes,
            max_fields=max_fields,
            before_file=before_file,
        )
        try:
            async for chunk in request.stream():
                if chunk:
                    await anyio.to_thread.run_sync(reader.write, chunk)
            reader.finish()
        except MultipartParseError as exc:
            raise InvalidRequest(f"the upload is not valid multipart/form-data: {exc}") from exc
        target.flush()
        chosen = bool(reader.filename) or reader.size > 0
        yield ReceivedForm(
            fields=dict(reader.fields),
            upload=Upload(
                path=Path(target.name),
                sha256=reader.digest.hexdigest(),
                size=reader.size,
                original_name=reader.filename or "",
            )
            if chosen
            else None,
        )


def _boundary(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidRequest(
            f"send the file as multipart/form-data in a field named {FILE_FIELD!r}"
        )
    return boundary


def _too_large(name: str | None, limit_bytes: int) -> TooLarge:
    megabytes = limit_bytes // (1024 * 1024)
    if name:
        return TooLarge(
            _("'%(name)s' is larger than %(limit)d MB, the most this server accepts"),
            name=name,
            limit=megabytes,
        )
    return TooLarge(
        _("The file is larger than %(limit)d MB, the most this server accepts"), limit=megabytes
    )


class _FormReader:
    """python-multipart's callbacks: small fields kept in memory, the file part to `target`."""

    def __init__(
        self,
        boundary: bytes,
        *,
        target: IO[bytes],
        limit_bytes: int,
        max_fields: int,
        before_file: FieldCheck | None,
    ) -> None:
        self.target = target
        self.limit_bytes = limit_bytes
        self.max_fields = max_fields
        self.before_file = before_file
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.size = 0
        self.digest = hashlib.sha256()
        self._headers: dict[str, str] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._part_name = ""
        self._in_file = False
        self._field = bytearray()
        self._parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def write(self, chunk: bytes) -> None:
        self._parser.write(chunk)

    def finish(self) -> None:
        self._parser.finalize()
        if self.filename is None:
            raise InvalidRequest(f"the upload has no file in a field named {FILE_FIELD!r}")

    def _part_begin(self) -> None:
        self._headers = {}
        self._field.clear()
        self._in_file = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_name.decode("latin-1").strip().lower()
        self._headers[name] = self._header_value.decode("latin-1")
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _disposition, options = parse_options_header(self._headers.get("content-disposition"))
        self._part_name = options.get(b"name", b"").decode("utf-8", errors="replace")
        if self._part_name != FILE_FIELD:
            if len(self.fields) >= self.max_fields:
                raise InvalidRequest(f"the upload has more than {self.max_fields} fields")
            return
        if self.filename is not None:
            raise InvalidRequest("send one file at a time")
        # Browsers send the name as UTF-8 bytes; the header was read byte for byte.
        self.filename = options.get(b"filename", b"").decode("utf-8", errors="replace")
        if self.before_file is not None:
            self.before_file(self.fields)
        self._in_file = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        piece = data[start:end]
        if not self._in_file:
            self._field += piece
            if len(self._field) > MAX_FIELD_SIZE:
                raise InvalidRequest(f"the form field {self._part_name!r} is too long")
            return
        self.size += len(piece)
        if self.size > self.limit_bytes:
            raise _too_large(self.filename, self.limit_bytes)
        self.digest.update(piece)
        self.target.write(piece)

    def _part_end(self) -> None:
        if not self._in_file:
            self.fields[self._part_name] = self._field.decode("utf-8", errors="replace")
        self._in_file = False
