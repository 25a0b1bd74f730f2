"""What the sandbox's faults answer with: proxy pages, a server traceback, hostile text, padding.

Plain data and pure functions over bytes, used by the fault middleware (`faults.py`). The hostile strings
mirror the tests' fixture (tests/fixtures/hostile.py), which the sandbox cannot import.
"""

from __future__ import annotations

import json
from typing import Any

# An upstream proxy that lost its backend: what nginx sends, byte for byte in spirit.
NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    "</body>\r\n</html>\r\n" + "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n" * 6
).encode()

# A 200 that is not JSON: a maintenance or captive-portal page in front of the API.
HTML_200 = (
    b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Scheduled maintenance</title>"
    b"</head>\n<body>\n<h1>We'll be back soon</h1>\n<p>The Approved Contact portal is undergoing scheduled "
    b"maintenance.</p>\n<script>window.location = '/status';</script>\n</body>\n</html>\n"
)

# An unhandled exception, answered as the framework's debug page would: a multi-line text body.
TRACEBACK_500 = (
    b"Traceback (most recent call last):\n"
    b'  File "/srv/approvedcontact/api/handlers/phone_numbers.py", line 412, in get_active\n'
    b"    rows = await repo.page(tenant, page=page, limit=limit)\n"
    b'  File "/srv/approvedcontact/api/repo.py", line 88, in page\n'
    b"    return [PhoneNumber.from_row(r) for r in await self.db.fetch(query, *args)]\n"
    b'  File "/usr/lib/python3/site-packages/asyncpg/pool.py", line 615, in fetch\n'
    b"    raise ConnectionDoesNotExistError('connection was closed in the middle of operation')\n"
    b"asyncpg.exceptions.ConnectionDoesNotExistError: connection was closed in the middle of operation\n"
)

# Server text that tries to drive the terminal (what each piece would do if it reached one raw).
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"          # OSC 52: writes "rm -rf ~" to the clipboard
CLEAR = "\x1b[2J\x1b[H"                           # clears the screen
TITLE = "\x1b]0;pwned\x07"                        # sets the window title
C1_CSI = "\x9b31m"                                 # a one-byte CSI
RTL = "\u202e"                                     # right-to-left override
ISOLATE = "\u2066"                                 # left-to-right isolate
MARKUP = "[bold red]markup[/] [link=http://x]y[/link] [/]"
FORMULA = '=HYPERLINK("http://evil","x")'
BELL_DEL_NUL = "\x07\x7f\x00\x08"
HOSTILE = f"{CLEAR}wiped{CLIPBOARD}{TITLE}{C1_CSI}{RTL}gnp.exe{ISOLATE} {MARKUP} {BELL_DEL_NUL}"

# Values a client needs to find, open and edit a number, or to follow an order: left real.
KEEP_REAL = frozenset({"phoneNumber", "number", "phoneNumberId", "orderId", "tenantId", "createdAt",
                       "activatedAt", "createDate", "completionDate", "startDate", "endDate", "periodicCron"})


def poison(value: Any, key: str = "") -> Any:
    """`value` with hostile text in every string (list items and nested objects too) but KEEP_REAL's.

    Each object that names a phone number also gains an unknown field whose name is hostile.
    """
    if isinstance(value, dict):
        out = {k: (v if k in KEEP_REAL else poison(v, k)) for k, v in value.items()}
        if "phoneNumber" in value:
            out["vendorNote" + CLEAR] = {"text": FORMULA + HOSTILE}
        return out
    if isinstance(value, list):
        return [poison(v, key) for v in value]
    if isinstance(value, str):
        return FORMULA + HOSTILE if key == "description" else f"{key}:{HOSTILE}" if key else HOSTILE
    return value


def poison_json(body: bytes) -> bytes:
    """A JSON body with hostile text in it; a body that is not JSON comes back as it was."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body
    return json.dumps(poison(document), ensure_ascii=False).encode()


def pad(body: bytes, megabytes: float) -> bytes:
    """`body` grown by `megabytes` of whitespace before its last byte: still the same JSON document."""
    padding = b" " * int(megabytes * 1024 * 1024)
    if body[-1:] in (b"}", b"]"):
        return body[:-1] + padding + body[-1:]
    return body + padding


def truncated(body: bytes) -> bytes:
    """The first half of `body` (at least one byte short of it): JSON cut off mid-document."""
    return body[: max(len(body) // 2, 1) if len(body) > 1 else 0]
