"""An independent stand-in for the API's rate limiter, so the rate figures do not share the sandbox's
assumptions: plain asyncio HTTP/1.1 (keep-alive), no Starlette, no actui import, its own limiters.

It answers only what a bulk edit needs: GET and PUT /api/v1/phone-numbers/{number} (the spec's detail
document, a PUT merged into it) and GET /api/v1/phone-numbers/active (one page of everything). Past the
limit: 429, a JSON error and Retry-After in whole seconds, as each shape would send it:

  bucket   a token bucket holding one second's worth, refilled at R/s; Retry-After: until the next token
  sliding  at most R accepted requests in any second (a log); Retry-After: until the oldest leaves it
  fixed    at most R accepted requests per clock second; Retry-After: until that second ends

    python benchmarks/standin_limiter.py --rate 50 --window sliding [--numbers 1000] [--port 0]

prints `listening on http://127.0.0.1:PORT/api/v1` once it accepts connections, and on SIGTERM the
counts of accepted and refused requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import signal
import sys
import time
from collections import deque
from urllib.parse import unquote, urlsplit


def whole_seconds(seconds: float) -> int:
    return max(1, math.ceil(seconds))


class Bucket:
    def __init__(self, rate: float):
        self.rate = rate
        self.size = max(1.0, rate)
        self.tokens = self.size
        self.last = time.monotonic()

    def check(self, now: float) -> int | None:
        self.tokens = min(self.size, self.tokens + self.rate * (now - self.last))
        self.last = now
        if self.tokens < 1.0:
            return whole_seconds((1.0 - self.tokens) / self.rate)
        self.tokens -= 1.0
        return None


class SlidingLog:
    def __init__(self, rate: float):
        self.limit = max(1, int(rate))
        self.log: deque[float] = deque()

    def check(self, now: float) -> int | None:
        while self.log and now - self.log[0] >= 1.0:
            self.log.popleft()
        if len(self.log) >= self.limit:
            return whole_seconds(self.log[0] + 1.0 - now)
        self.log.append(now)
        return None


class FixedCounter:
    def __init__(self, rate: float):
        self.limit = max(1, int(rate))
        self.second = None
        self.used = 0

    def check(self, now: float) -> int | None:
        second = int(now)
        if second != self.second:
            self.second, self.used = second, 0
        if self.used >= self.limit:
            return whole_seconds(second + 1 - now)
        self.used += 1
        return None


LIMITERS = {"bucket": Bucket, "sliding": SlidingLog, "fixed": FixedCounter}
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests"}


def detail(index: int) -> dict:
    number = f"+1415{5550000 + index:07d}"
    return {
        "phoneNumberId": f"00000000-0000-4000-8000-{index:012d}",
        "phoneNumber": number,
        "friendlyName": f"({number[2:5]}) {number[5:8]}-{number[8:]}",
        "email": "support@example.com",
        "status": "Active",
        "provisionType": "SMSMMS",
        "provisionClass": "P2P",
        "capabilities": {"sms": True, "mms": True},
        "createdAt": "2025-01-11T10:30:00Z",
        "activatedAt": "2025-01-11T10:32:15Z",
        "description": "",
    }


def merge(into: dict, patch: dict) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value


class StandIn:
    def __init__(self, rate: float, window: str, numbers: int):
        self.limiter = LIMITERS[window](rate) if rate > 0 else None
        self.docs = {doc["phoneNumber"]: doc for doc in map(detail, range(numbers))}
        self.accepted = 0
        self.refused = 0

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict, list[str]]:
        url = urlsplit(target)
        if not url.path.startswith("/api/v1/"):
            return 404, {"status": 404, "message": "not found"}, []
        if self.limiter is not None:
            wait = self.limiter.check(time.monotonic())
            if wait is not None:
                self.refused += 1
                return 429, {"status": 429, "message": "Too many requests"}, [f"Retry-After: {wait}"]
        self.accepted += 1
        path = url.path.removeprefix("/api/v1")
        if path == "/phone-numbers/active" and method == "GET":
            items = list(self.docs.values())
            return 200, {"phoneNumbers": items, "page": 1, "limit": len(items), "total": len(items)}, []
        if not path.startswith("/phone-numbers/"):
            return 404, {"status": 404, "message": "not found"}, []
        doc = self.docs.get(unquote(path.removeprefix("/phone-numbers/")))
        if doc is None:
            return 404, {"status": 404, "message": "Phone number not found"}, []
        if method == "GET":
            return 200, doc, []
        if method == "PUT":
            try:
                patch = json.loads(body)
            except ValueError:
                return 400, {"status": 400, "message": "body is not JSON"}, []
            merge(doc, patch)
            return 200, doc, []
        return 405, {"status": 405, "message": "method not allowed"}, []

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, document, extra = self.answer(method, target, body)
                payload = json.dumps(document).encode()
                writer.write("\r\n".join([f"HTTP/1.1 {status} {REASONS[status]}", "Content-Type: application/json",
                                          f"Content-Length: {len(payload)}", *extra, "", ""]).encode() + payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=0.0, help="requests/s (0: no limit)")
    parser.add_argument("--window", choices=sorted(LIMITERS), default="bucket")
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    stand_in = StandIn(args.rate, args.window, args.numbers)
    server = await asyncio.start_server(stand_in.serve, "127.0.0.1", args.port)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print(f"listening on http://127.0.0.1:{port}/api/v1", flush=True)
    async with server:
        await stop.wait()
    print(f"accepted {stand_in.accepted}, refused {stand_in.refused}", flush=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
