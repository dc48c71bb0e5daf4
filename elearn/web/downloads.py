"""Downloads: file names that say what is inside (who, which organisation, which day) and their headers."""

import re
import unicodedata
from urllib.parse import quote


def file_name(*parts: object, ext: str) -> str:
    """'summary', 'Oak Trust', date(2026, 12, 2) -> 'summary-Oak-Trust-2026-12-02.<ext>'; every script's letters kept."""
    words = [re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", str(p))).strip("-") for p in parts if p]
    return "-".join(w for w in words if w) + f".{ext}"


def download_headers(filename: str) -> dict:
    """An attachment named in ASCII for old clients and in UTF-8 (RFC 6266) for the rest; never cached."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "download"
    disposition = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    return {"Content-Disposition": disposition, "Cache-Control": "no-store"}
