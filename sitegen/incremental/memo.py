"""Results of a stage's item-by-item work, kept between rebuilds and given back for equal inputs."""

from __future__ import annotations

from typing import Any, Callable


class Memo:
    """A `cached(key, inputs, compute)` for `resolve`: the result of `compute(*inputs)` kept
    under `key` is given back while its inputs are equal (compared by value). What a run does
    not ask for is let go when the next one starts (`start`)."""

    def __init__(self) -> None:
        self._last: dict[Any, tuple[tuple, Any]] = {}
        self._now: dict[Any, tuple[tuple, Any]] = {}

    def start(self) -> None:
        if self._now:
            self._last, self._now = self._now, {}

    def __call__(self, key: Any, inputs: tuple, compute: Callable[..., Any]) -> Any:
        kept = self._last.get(key)
        if kept is None or kept[0] != inputs:
            kept = (inputs, compute(*inputs))
        self._now[key] = kept
        return kept[1]
