"""What `serve` keeps of the stages' work between rebuilds, given back while its inputs are equal."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Callable

from ..derive import Index
from ..model import Model
from .reads import FIELDS, Recorder, TrackedRecord


class Memo:
    """An `each(name, inputs, compute)` for `resolve`: for each key, the result of `compute(*args)`
    kept from the last call of that name is given back while the key's args are equal (compared
    by value). Keys a call does not name are let go."""

    def __init__(self) -> None:
        self._kept: dict[str, dict[str, tuple[tuple, Any]]] = {}

    def __call__(self, name: str, inputs: dict[str, tuple], compute: Callable[..., Any]) -> dict[str, Any]:
        last = self._kept.get(name, {})
        kept = {}
        for key, args in inputs.items():
            old = last.get(key)
            kept[key] = old if old is not None and old[0] == args else (args, compute(*args))
        self._kept[name] = kept
        return {key: result for key, (_, result) in kept.items()}


def _path_value(record: Any, path: tuple) -> Any:
    for at, segment in enumerate(path):
        if segment == "[]":
            return tuple(_path_value(item, path[at + 1:]) for item in record)
        if segment == "#":
            return len(record)
        record = getattr(record, segment)
    return record


class DeriveMemo:
    """`derive`, skipped when no field it read last time has changed.

    Each run records (`reads.TrackedFields`), per collection, the field paths derive read on any
    of its records, and the other fields of the model it read whole. The next model gets the
    same index back when every collection has the same keys in the same order and every record
    agrees with its predecessor on all those paths: derive is deterministic, so it would compute
    the same index. Any other difference runs derive again, and records afresh.
    """

    def __init__(self, derive: Callable[[Model], Index]):
        self._derive = derive
        self.model: Model | None = None
        self.index: Index | None = None
        self.paths: dict[str, set] = {}
        """Model field -> the paths read in it (`()`: the field, or a record, read whole)."""

    def __call__(self, model: Model) -> Index:
        if self.model is not None and self._same(model):
            self.model = model
            return self.index
        recorder = Recorder()
        recorder.reads = seen = set()
        index = self._derive(TrackedRecord(model, "", recorder, fields=True))
        paths: dict[str, set] = {}
        for key in seen:
            if len(key) == 1:
                paths.setdefault(key[0], set()).add(())
            elif key[1] == FIELDS:
                paths.setdefault(key[0], set()).add(key[2])
        self.model, self.index, self.paths = model, index, paths
        return index

    def _same(self, model: Model) -> bool:
        old = self.model
        for f in dataclasses.fields(model):
            before, after = getattr(old, f.name), getattr(model, f.name)
            paths = self.paths.get(f.name, ())
            if isinstance(after, Mapping):
                if list(before) != list(after):
                    return False
                if not paths or before == after:
                    continue
                for key, record in after.items():
                    previous = before[key]
                    if previous is not record and any(_path_value(previous, p) != _path_value(record, p) for p in paths):
                        return False
            elif any(_path_value(before, p) != _path_value(after, p) for p in paths):
                return False
        return True
