"""`derive`, run again only when a field it read last time has changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Callable

from ..derive import Index
from ..model import Model

def _is_container(value: Any) -> bool:
    """A record derive may look inside (Anchor, Body, WikiLink...); ordered ones (dates) are leaves."""
    kind = type(value)
    params = getattr(kind, "__dataclass_params__", None)
    return params is not None and not params.order


class _FieldProxy:
    """A model record as `derive` sees it while its reads are recorded.

    Reading a plain field records its path (`("anchor", "start")`) for the record's kind;
    a nested record comes back as a proxy too, and a tuple of records as a tuple of proxies
    (path segment `[]`). Comparing or hashing a proxy records it as read whole.
    """

    __slots__ = ("_target", "_path", "_paths")

    def __init__(self, target: Any, path: tuple, paths: set):
        self._target = target
        self._path = path
        self._paths = paths

    def __getattr__(self, name: str):
        value = getattr(self._target, name)
        path = self._path + (name,)
        if _is_container(value):
            return _FieldProxy(value, path, self._paths)
        if isinstance(value, tuple) and value and all(_is_container(v) for v in value):
            self._paths.add(path + ("#",))
            return tuple(_FieldProxy(v, path + ("[]",), self._paths) for v in value)
        self._paths.add(path)
        return value

    def _whole(self) -> Any:
        self._paths.add(self._path)
        return self._target

    def __eq__(self, other):
        return self._whole() == (other._whole() if isinstance(other, _FieldProxy) else other)

    def __hash__(self):
        return hash(self._whole())

    def __repr__(self) -> str:
        return f"_FieldProxy({self._target!r})"


class _MappingProxy(Mapping):
    """A model mapping whose values come back as `_FieldProxy`s of one kind."""

    __slots__ = ("_data", "_paths")

    def __init__(self, data: Mapping, paths: set):
        self._data = data
        self._paths = paths

    def __getitem__(self, key):
        return _FieldProxy(self._data[key], (), self._paths)

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key) -> bool:
        return key in self._data


class _ModelProxy:
    __slots__ = ("_model", "_paths")

    def __init__(self, model: Model, paths: dict[str, set]):
        self._model = model
        self._paths = paths

    def __getattr__(self, name: str):
        value = getattr(self._model, name)
        paths = self._paths.setdefault(name, set())
        if isinstance(value, Mapping):
            return _MappingProxy(value, paths)
        return _FieldProxy(value, (), paths) if _is_container(value) else value


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

    Each run records, per kind of record, the field paths derive read on any record of that
    kind. The next model gets the same index back when every collection has the same keys in
    the same order and every record that changed agrees with its predecessor on
    all those paths: derive is deterministic, so it would compute the same index. Any other
    difference runs derive again, and records afresh.
    """

    def __init__(self, derive: Callable[[Model], Index]):
        self._derive = derive
        self.model: Model | None = None
        self.index: Index | None = None
        self.paths: dict[str, set] = {}
        self.skipped = False
        """Whether the last call reused the previous index."""

    def __call__(self, model: Model) -> Index:
        if self.model is not None and self._same(model):
            self.model = model
            self.skipped = True
            return self.index
        paths: dict[str, set] = {}
        index = self._derive(_ModelProxy(model, paths))
        self.model, self.index, self.paths, self.skipped = model, index, paths, False
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
                    if previous is not record and previous != record and any(_path_value(previous, p) != _path_value(record, p) for p in paths):
                        return False
            elif _is_container(after):
                if any(_path_value(before, p) != _path_value(after, p) for p in paths):
                    return False
            elif f.name in self.paths and before != after:
                return False
        return True
