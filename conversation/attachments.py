"""Which attachments of an inbound mail are kept: the allow-list of types (by the name's extension AND the
declared type; ``application/octet-stream`` counts as no declared type, the extension then decides) and safe
file names. Archives (zip, 7z, rar, gz) and executables are not on the list: never stored, never unpacked."""

from __future__ import annotations

import unicodedata

from conversation.text import clean

# extension -> the declared types that fit it (application/octet-stream is accepted for each, see above)
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf", "application/x-pdf"),
    "png": ("image/png",),
    "jpg": ("image/jpeg", "image/pjpeg"),
    "jpeg": ("image/jpeg", "image/pjpeg"),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "txt": ("text/plain",),
    "csv": ("text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"),
    "ics": ("text/calendar",),
    "rtf": ("application/rtf", "text/rtf"),
    "doc": ("application/msword",),
    "xls": ("application/vnd.ms-excel",),
    "ppt": ("application/vnd.ms-powerpoint",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",),
    "odp": ("application/vnd.oasis.opendocument.presentation",),
    "eml": ("message/rfc822",),
}
UNTYPED = "application/octet-stream"


def safe_filename(name: str, content_type: str = "") -> str:
    """No path, no control characters, no leading dots, at most 255 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", clean(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".").strip()
    if not name:
        extension = next((ext for ext, types in ALLOWED_TYPES.items() if content_type in types), "bin")
        name = f"anhang.{extension}"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 254 - len(extension)] + "." + extension) if dot and len(extension) <= 10 else name[:255]
    return name
