"""Fault injection for the sandbox: what to inject (`Faults`) and when (its decisions).

A `Faults` object is mutable: tests (or a debugging session) change it while the server runs, and
`faults.stats` counts what was injected and how many POSTs and PUTs arrived. From the command line
(`actui sandbox --faults SPEC`) it is built by `Faults.parse(SPEC)`; every key is listed, with what it
does, in `fault_help.FAULTS_HELP` (the text of `actui sandbox --help`).

Faults at the HTTP level run in `fault_middleware.FaultMiddleware`, in this order per request: the rate
limits (429), 403, latency, then a drop, 503, 502, 500 or HTML 200; otherwise the request runs and its
answer may be cut, padded, stalled or made hostile. List and detail faults that need the inventory
(lying_total, duplicates, vanish_every) are applied by the API itself (app.py).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from ..api.errors import ActuiError
from .rate_limits import SHAPES, Limiter, SlidingWindow, limiter_for

# answers instead of the API's, before the request reaches it (nothing changes)
BEFORE_KINDS = ("error", "gateway", "traceback", "html")
# the request runs, then its answer is changed
AFTER_KINDS = ("truncate", "oversize", "stall", "hostile")
# kinds with <kind>_every and <kind>_rate, in the order they are decided
HIT_KINDS = ("forbidden", "drop", *BEFORE_KINDS, *AFTER_KINDS)


class FaultSpecError(ActuiError, ValueError):
    """A --faults SPEC that cannot be parsed; the message says which part and why."""


@dataclass
class FaultStats:
    requests: int = 0
    posts: int = 0            # POST requests that arrived, whatever they were answered
    puts: int = 0
    delayed: int = 0
    errors: int = 0
    rate_limited: int = 0     # 429s of either limiter
    dropped: int = 0
    forbidden: int = 0
    gateway: int = 0
    traceback: int = 0
    html: int = 0
    truncate: int = 0
    oversize: int = 0
    stall: int = 0
    hostile: int = 0
    lying_total: int = 0
    duplicates: int = 0
    vanished: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Faults:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_every: int = 0
    rate_limit: float = 0.0        # requests/s, enforced in the shape of `window`
    window: str = "bucket"         # bucket, sliding or fixed (rate_limits.SHAPES)
    sliding_limit: int = 0         # the older key: a second limiter, sliding_limit per sliding_window
    sliding_window: float = 1.0    # seconds
    drop_rate: float = 0.0
    drop_every: int = 0
    forbidden_rate: float = 0.0
    forbidden_every: int = 0
    gateway_rate: float = 0.0
    gateway_every: int = 0
    traceback_rate: float = 0.0
    traceback_every: int = 0
    html_rate: float = 0.0
    html_every: int = 0
    truncate_rate: float = 0.0
    truncate_every: int = 0
    oversize_rate: float = 0.0
    oversize_every: int = 0
    oversize_mb: float = 8.0
    stall_rate: float = 0.0
    stall_every: int = 0
    stall_for: float = 30.0        # seconds
    hostile_rate: float = 0.0
    hostile_every: int = 0
    lying_total: int | None = None
    duplicates: int = 0
    vanish_every: int = 0
    on: str = ""                   # e.g. "PUT" or "PUT+POST": only these methods meet the faults
    seed: int | None = None
    stats: FaultStats = field(default_factory=FaultStats)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._limiter: tuple[tuple[str, float], Limiter] | None = None
        self._old_sliding: tuple[tuple[int, float], SlidingWindow] | None = None
        self._targeted = 0

    @property
    def active(self) -> bool:
        return any(getattr(self, name) != default for name, default in _SWITCHES.items())

    def reset_stats(self) -> None:
        self.stats = FaultStats()
        self._targeted = 0

    def clear(self) -> None:
        """No faults from now on (stats, seed and sizes are kept)."""
        for name, default in _SWITCHES.items():
            setattr(self, name, default)

    def set(self, spec: str) -> Faults:
        """Switch to the faults of `spec` (as --faults takes it) while the server runs; stats are kept."""
        parsed = Faults.parse(spec)
        for name in _DEFAULTS:
            if name != "seed":
                setattr(self, name, getattr(parsed, name))
        return self

    def __str__(self) -> str:
        parts = []
        for key, (attr, _parse, show) in _SPEC.items():
            value = getattr(self, attr)
            if key != "seed" and value != _DEFAULTS[attr]:
                parts.append(f"{key}={show(value)}")
        if parts and self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts) or "none"

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        spec = (spec or "").strip()
        if spec.lower() in ("", "none", "off"):
            return cls()
        values: dict[str, Any] = {}
        for part in spec.split(","):
            key, sep, raw = (s.strip() for s in part.partition("="))
            if not sep or not key or not raw:
                raise FaultSpecError(f"{part.strip()!r} is not key=value (e.g. latency=50ms,error_every=5)")
            if key not in _SPEC:
                raise FaultSpecError(f"unknown fault {key!r} (known: {', '.join(_SPEC)}; "
                                     "`actui sandbox --help` says what each does)")
            attr, parse, _show = _SPEC[key]
            if attr in values:
                raise FaultSpecError(f"{key} is given twice")
            values[attr] = parse(key, raw)
        return cls(**values)

    # --- decisions (called by the middleware and the API) ----------------------------------------

    def _count(self, method: str = "") -> int | None:
        """Count a request; its number among the requests the faults target ("every Nth" counts those),
        or None when `on` leaves its method alone."""
        with self._lock:
            self.stats.requests += 1
            if method == "POST":
                self.stats.posts += 1
            elif method == "PUT":
                self.stats.puts += 1
            if self.on and method not in self.on.split("+"):
                return None
            self._targeted += 1
            return self._targeted

    def _retry_after(self) -> int | None:
        """None when the request passes both rate limits, else whole seconds to wait (at least 1)."""
        bucket = self._bucket_wait()
        return bucket if bucket is not None else self._window_wait()

    def _bucket_wait(self) -> int | None:
        """The limiter of rate_limit and window (built anew, full, whenever either changes)."""
        rate = self.rate_limit
        if rate <= 0:
            return None
        with self._lock:
            now = time.monotonic()
            config = (self.window, rate)
            if self._limiter is None or self._limiter[0] != config:
                self._limiter = (config, limiter_for(self.window, rate, now))
            return self._limiter[1].wait(now)

    def _window_wait(self) -> int | None:
        """The older sliding_limit key: at most sliding_limit accepted requests in any sliding_window
        seconds, a limiter besides rate_limit's."""
        limit = self.sliding_limit
        if limit <= 0:
            return None
        with self._lock:
            config = (limit, self.sliding_window)
            if self._old_sliding is None or self._old_sliding[0] != config:
                self._old_sliding = (config, SlidingWindow(limit, self.sliding_window))
            return self._old_sliding[1].wait(time.monotonic())

    def _hit(self, n: int, kind: str) -> bool:
        every = getattr(self, f"{kind}_every")
        if every and n % every == 0:
            return True
        rate = getattr(self, f"{kind}_rate")
        return rate > 0 and self._rng.random() < rate

    def _hits(self, n: int) -> list[str]:
        """The kinds that strike request number n (each counted in stats)."""
        kinds = [kind for kind in HIT_KINDS if self._hit(n, kind)]
        with self._lock:
            for kind in kinds:
                name = {"error": "errors", "drop": "dropped"}.get(kind, kind)
                setattr(self.stats, name, getattr(self.stats, name) + 1)
        return kinds

    def vanished(self, position: int) -> bool:
        """Whether the number at this 0-based list position answers 404 to its detail."""
        return bool(self.vanish_every) and (position + 1) % self.vanish_every == 0

    def note(self, stat: str) -> None:
        with self._lock:
            setattr(self.stats, stat, getattr(self.stats, stat) + 1)


def _duration_ms(key: str, raw: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s)?", raw.lower())
    if not match:
        raise FaultSpecError(f"{key}: {raw!r} is not a duration (e.g. 50ms, 0.2s)")
    value = float(match.group(1))
    return value * 1000 if match.group(2) == "s" else value


def _seconds(key: str, raw: str) -> float:
    value = _duration_ms(key, raw if raw[-1:].isalpha() else raw + "s") / 1000
    if value <= 0:
        raise FaultSpecError(f"{key}: must be more than 0")
    return value


def _share(key: str, raw: str) -> float:
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not a number between 0 and 1 (e.g. 0.1 or 10%)") from None
    if not 0 <= value <= 1:
        raise FaultSpecError(f"{key}: {raw!r} must be between 0 and 1 (e.g. 0.1 or 10%)")
    return value


def _whole(key: str, raw: str) -> int:
    if not raw.isdigit():
        raise FaultSpecError(f"{key}: {raw!r} is not a whole number (0 turns it off)")
    return int(raw)


def _per_second(key: str, raw: str) -> float:
    text = raw.lower().removesuffix("/s")
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not a number of requests per second (e.g. 20)") from None
    if value < 0:
        raise FaultSpecError(f"{key}: must not be negative")
    return value


def _megabytes(key: str, raw: str) -> float:
    try:
        value = float(raw.lower().removesuffix("mb"))
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not a size in MB (e.g. 8 or 0.5MB)") from None
    if value <= 0:
        raise FaultSpecError(f"{key}: must be more than 0")
    return value


def _integer(key: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise FaultSpecError(f"{key}: {raw!r} is not an integer") from None


def _methods(key: str, raw: str) -> str:
    methods = [m.strip().upper() for m in raw.split("+")]
    unknown = [m for m in methods if m not in ("GET", "PUT", "POST")]
    if unknown or not methods:
        raise FaultSpecError(f"{key}: {raw!r} is not GET, PUT or POST (several joined by +, e.g. PUT+POST)")
    return "+".join(methods)


def _shape(key: str, raw: str) -> str:
    shape = raw.lower()
    if shape not in SHAPES:
        raise FaultSpecError(f"{key}: {raw!r} is not {', '.join(SHAPES[:-1])} or {SHAPES[-1]} "
                             "(the shape of rate_limit's limiter)")
    return shape


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# spec key -> (attribute, parser, how str() shows the value)
_SPEC: dict[str, tuple[str, Callable[[str, str], Any], Callable[[Any], str]]] = {
    "latency": ("latency_ms", _duration_ms, lambda v: f"{v:g}ms"),
    "rate_limit": ("rate_limit", _per_second, _shown),
    "window": ("window", _shape, _shown),
    "sliding_limit": ("sliding_limit", _whole, _shown),
    "sliding_window": ("sliding_window", _seconds, lambda v: f"{v:g}s"),
    **{key: spec for kind in HIT_KINDS
       for key, spec in ((f"{kind}_rate", (f"{kind}_rate", _share, _shown)),
                         (f"{kind}_every", (f"{kind}_every", _whole, _shown)))},
    "oversize_mb": ("oversize_mb", _megabytes, _shown),
    "stall_for": ("stall_for", _seconds, lambda v: f"{v:g}s"),
    "lying_total": ("lying_total", _integer, _shown),
    "duplicates": ("duplicates", _whole, _shown),
    "vanish_every": ("vanish_every", _whole, _shown),
    "on": ("on", _methods, _shown),
    "seed": ("seed", _integer, _shown),
}
_DEFAULTS = {f.name: f.default for f in fields(Faults) if f.name != "stats"}
# what turns a fault on (sizes, durations and the seed only shape one)
_SWITCHES = {name: default for name, default in _DEFAULTS.items()
             if name not in ("window", "sliding_window", "oversize_mb", "stall_for", "on", "seed")}
