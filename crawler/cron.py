"""Standard five-field cron weekday semantics, translated for APScheduler 3 (which counts 0 as Monday); pure."""

from __future__ import annotations

_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day(token: str) -> int:
    token = token.strip().lower()
    if token[:3] in _NAMES and token.isalpha():
        return _NAMES.index(token[:3])
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    raise ValueError(f"{token!r} is not a weekday (0-7 or sun-sat)")


def cron_weekdays(field: str) -> str:
    """A cron weekday field (0 or 7 = Sunday; lists, ranges, steps, names) as explicit APScheduler names."""
    days: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        stride = int(step) if step.isdigit() and int(step) > 0 else None
        if step and stride is None:
            raise ValueError(f"{part!r}: the step after / must be a positive number")
        if span == "*":
            low, high = 0, 6
        elif "-" in span:
            low, high = (_day(t) for t in span.split("-", 1))
        else:
            low = _day(span)
            high = 6 if stride else low
        if low > high:
            raise ValueError(f"{part!r}: the range runs backwards")
        days.update(d % 7 for d in range(low, high + 1, stride or 1))
    return ",".join(_NAMES[d] for d in sorted(days))
