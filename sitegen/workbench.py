"""The editor's workbench in `serve`: annotate a source by selecting a passage on its page.

`serve` answers under `/_sitegen/`:

- `GET workbench.js`, `GET workbench.css`: the page side (`templates/_workbench.*`), which
  `serve` links from every page it serves, with the token (`inject`); `build` never does;
- `GET model`: the actors, motives and stances to pick from, and each source's page;
- `GET annotations/<source>/<id>`: an annotation's tags and commentary, with its digest as ETag;
- `POST annotations`: a new annotation file; `PUT annotations/<source>/<id>`: new tags and
  commentary for one, given the ETag of the version the editor opened (`If-Match`).

Each request must come to the loopback address under a name `serve` answers (its `Host`),
carry the token of this run in `X-Sitegen-Token`, and a write must come from a page of the
site (`Origin`); anything else gets 403 and changes nothing. A file is written only when the
content with it has no error it did not have before (422 with the terminal's lines when it
would), never over a file the editor did not open (409), and atomically: written beside its
place under a name the watcher ignores, then renamed into it. The watcher sees the new file
and rebuilds, and the open page reloads.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import load
from .anchoring import Anchor, NormalisedText, anchor_quote, normalise
from .derive import STANCE_LABELS
from .parse import SCHEMAS, STANCES, parse_file
from .pipeline import DEFAULT_TEMPLATES
from .scaffold import passage_id
from .urls import item_path

if TYPE_CHECKING:
    from .incremental import Engine

PREFIX = "/_sitegen/"
MAX_BODY = 1 << 20
"""The largest request body read: a commentary is a few KiB."""
ASSETS = {"workbench.js": "application/javascript; charset=utf-8", "workbench.css": "text/css; charset=utf-8"}
MAX_CONTEXT_WORDS = 12
"""The most words of `prefix` (or `suffix`) written to single out a passage that recurs."""
_FIELDS = ("actor", "motives", "involves", "stance", "speaker")
"""The front-matter fields the workbench sets; the others stay as the file has them."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: dict
    etag: str = ""


def _refused(message: str) -> Reply:
    return Reply(403, {"error": message})


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class Workbench:
    """What `serve` answers under PREFIX; `token` is this run's secret, put in the pages it serves."""

    def __init__(self, content: Path, templates: Path, engine: Engine, lock: threading.Lock, token: str | None = None):
        self.content = Path(content)
        self.templates = Path(templates)
        self.engine = engine
        self.lock = lock
        """The engine's lock: held while the content is checked and the file written."""
        self.token = token or secrets.token_urlsafe(32)

    def inject(self, page: bytes, base_path: str) -> bytes:
        """A served page with the token and the page side linked in its head."""
        head = (f'<meta name="sitegen-token" content="{self.token}">'
                f'<link rel="stylesheet" href="{PREFIX}workbench.css">'
                f'<script src="{PREFIX}workbench.js" defer></script>').encode()
        return page.replace(b"</head>", head + b"</head>", 1)

    # -- who may ask -------------------------------------------------------------------

    def admitted(self, method: str, path: str, headers, client: str, hosts: set[str]) -> Reply | None:
        """None when a request for `path` (after PREFIX) may be answered, else the 403 to send."""
        try:
            loopback = ipaddress.ip_address(client).is_loopback
        except ValueError:
            loopback = False
        host = headers.get_all("Host") or []
        if not loopback or len(host) != 1 or host[0].strip().lower() not in hosts:
            return _refused("the workbench answers only requests for this server's own loopback address")
        if method in ("GET", "HEAD") and path in ASSETS:
            return None
        if not hmac.compare_digest(headers.get("X-Sitegen-Token", "").encode(), self.token.encode()):
            return _refused("missing or wrong X-Sitegen-Token: reload the page from this server and try again")
        if method not in ("GET", "HEAD"):
            origin = headers.get_all("Origin") or []
            if len(origin) != 1 or origin[0].strip().lower() != "http://" + host[0].strip().lower():
                return _refused("the request does not come from a page of this server (its Origin)")
        return None

    # -- answers -----------------------------------------------------------------------

    def answer(self, method: str, path: str, headers, body: bytes | None) -> Reply | tuple[bytes, str]:
        """The reply to an admitted request for `path` (after PREFIX): a Reply, or an asset's
        bytes and type."""
        if method in ("GET", "HEAD") and path in ASSETS:
            asset = self.templates / f"_{path}"  # a site's own templates may restyle it
            return (asset if asset.is_file() else DEFAULT_TEMPLATES / f"_{path}").read_bytes(), ASSETS[path]
        if method == "GET" and path == "model":
            return self.lists()
        parts = path.split("/")
        if parts[0] != "annotations":
            return Reply(404, {"error": f"nothing at {PREFIX}{path}"})
        if len(parts) == 1 and method == "POST":
            return self.create(_json(body))
        if len(parts) == 3 and all(load.ID_PATTERN.match(p) for p in parts[1:]):
            if method == "GET":
                return self.opened(parts[1], parts[2])
            if method == "PUT":
                return self.edit(parts[1], parts[2], headers.get("If-Match", ""), _json(body))
        return Reply(405 if len(parts) in (1, 3) else 404, {"error": f"{method} is not answered at {PREFIX}{path}"})

    def lists(self) -> Reply:
        with self.lock:
            good = self.engine.good
            if good is None:
                return Reply(503, {"error": "the site has not been built yet: fix the errors the terminal shows"})
            model = good.validated.model
        base = self.engine.options.base_path
        return Reply(200, {
            "actors": [{"id": a.id, "name": a.name} for a in model.actors.values()],
            "motives": [{"id": m.id, "label": m.label, "group": m.group} for m in model.motives.values()],
            "stances": [{"id": stance, "label": label} for stance, label in STANCE_LABELS],
            "sources": {s.id: base + item_path("sources", s.id) for s in model.sources.values()},
        })

    def opened(self, source: str, ann_id: str) -> Reply:
        path = self.content / load.ANNOTATIONS / source / f"{ann_id}.md"
        try:
            data = load.read_content(path, str(path))
        except FileNotFoundError:
            return Reply(404, {"error": f"no annotation {source}/{ann_id}"})
        if not isinstance(data, bytes):
            return Reply(422, {"errors": [data.format()]})
        fields, _, commentary = _split(data.decode())
        values = {name: fields.get(name, [] if name in ("motives", "involves") else "") for name in _FIELDS}
        return Reply(200, {"ref": f"{source}/{ann_id}", **values, "commentary": commentary}, _etag(data))

    def create(self, payload: dict | None) -> Reply:
        fields = _fields(payload)
        if isinstance(fields, Reply):
            return fields
        source_id, selected = payload.get("source"), payload.get("quote")
        if not isinstance(source_id, str) or not isinstance(selected, str) or not normalise(selected):
            return Reply(400, {"error": "'source' and 'quote' must be given, as text"})
        wanted = payload.get("id")
        if wanted is not None and (not isinstance(wanted, str) or not load.ID_PATTERN.match(wanted)):
            return Reply(400, {"error": "'id' must be lowercase a-z, 0-9 and hyphens"})
        with self.lock:
            good = self.engine.good
            source = good and good.validated.model.sources.get(source_id)
            if source is None:
                return Reply(422, {"errors": [f"unknown source '{source_id}'"]})
            plain = source.body.plain.decode()
            quote, prefix, suffix = place(plain, selected, str(payload.get("before", "")))
            folder = self.content / load.ANNOTATIONS / source_id
            ann_id = wanted or passage_id(quote, {p.stem for p in folder.glob("*.md")} |
                                      {k.partition("/")[2] for k in good.validated.model.annotations if k.startswith(source_id + "/")})
            rel = f"{load.ANNOTATIONS}/{source_id}/{ann_id}.md"
            if (self.content / rel).exists():
                return Reply(409, {"error": f"{load.display_path(self.content, rel)} exists already: edit it, or choose another id"})
            front = {name: fields[name] for name in _FIELDS if fields[name]}
            front.update((name, value) for name, value in (("prefix", prefix), ("suffix", suffix)) if value)
            data = compose(front, blockquote(quote), fields["commentary"])
            errors = self.engine.errors_with(rel, data)
            if errors:
                return Reply(422, {"errors": [d.format() for d in errors]})
            try:
                write_atomically(self.content / rel, data, replace=False)
            except FileExistsError:
                return Reply(409, {"error": f"{load.display_path(self.content, rel)} exists already: edit it, or choose another id"})
        return Reply(201, {"ref": f"{source_id}/{ann_id}", "id": ann_id, "path": load.display_path(self.content, rel)}, _etag(data))

    def edit(self, source_id: str, ann_id: str, opened: str, payload: dict | None) -> Reply:
        fields = _fields(payload)
        if isinstance(fields, Reply):
            return fields
        rel = f"{load.ANNOTATIONS}/{source_id}/{ann_id}.md"
        path = self.content / rel
        with self.lock:
            try:
                current = load.read_content(path, load.display_path(self.content, rel))
            except FileNotFoundError:
                return Reply(404, {"error": f"no annotation {source_id}/{ann_id}"})
            if not isinstance(current, bytes):
                return Reply(422, {"errors": [current.format()]})
            if not opened or not hmac.compare_digest(opened.strip().encode(), _etag(current).encode()):
                return Reply(409, {"error": f"{load.display_path(self.content, rel)} changed since it was opened: "
                                            "copy your text from the form, reload the page and edit the note again"})
            front, quote, _ = _split(current.decode())
            for name in _FIELDS:
                if fields[name]:
                    front[name] = fields[name]
                else:
                    front.pop(name, None)
            data = compose(front, quote, fields["commentary"])
            errors = self.engine.errors_with(rel, data)
            if errors:
                return Reply(422, {"errors": [d.format() for d in errors]})
            write_atomically(path, data, replace=True)
        return Reply(200, {"ref": f"{source_id}/{ann_id}", "id": ann_id, "path": load.display_path(self.content, rel)}, _etag(data))


def _json(body: bytes | None) -> dict | None:
    try:
        value = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _fields(payload: dict | None) -> dict | Reply:
    """The tags and commentary a request gives, checked for shape (the content checks the rest)."""
    if payload is None:
        return Reply(400, {"error": "the body must be a JSON object"})
    fields: dict[str, Any] = {}
    for name in _FIELDS + ("commentary",):
        value = payload.get(name, [] if name in ("motives", "involves") else "")
        wanted_list = name in ("motives", "involves")
        if wanted_list != isinstance(value, list) or not all(isinstance(v, str) for v in (value if wanted_list else [value])):
            return Reply(400, {"error": f"'{name}' must be {'a list of ids' if wanted_list else 'text'}"})
        fields[name] = [v.strip() for v in value if v.strip()] if wanted_list else value.strip()
    if fields["stance"] == STANCES[0]:
        fields["stance"] = ""  # the default, left unwritten
    return fields


# -- the file ------------------------------------------------------------------------------


def place(plain: str, selected: str, before: str) -> tuple[str, str, str]:
    """The passage selected on the page, as the source prints it, and the `prefix` / `suffix`
    that single it out when it occurs more than once (else empty); `before` is the page's text
    before the selection, which says which occurrence was selected. The selection as it is
    when the source does not have it (the check then says how they differ)."""
    text = NormalisedText.of(plain)
    needle = normalise(selected)
    hits, at = [], text.text.find(needle)
    while at >= 0:
        hits.append(at)
        at = text.text.find(needle, at + 1)
    if not hits:
        return selected.strip(), "", ""
    context = normalise(before)
    chosen = max(hits, key=lambda h: _common_tail(text.text[:h].rstrip(), context))
    start = text.original_index(chosen)
    end = text.original_index(chosen + len(needle) - 1) + 1
    quote = plain[start:end]
    if len(hits) == 1:
        return quote, "", ""
    words_before = list(re.finditer(r"\S+", plain[:start]))
    words_after = list(re.finditer(r"\S+", plain[end:]))
    for count in range(1, MAX_CONTEXT_WORDS + 1):
        prefix = plain[words_before[-count].start():start].strip() if len(words_before) >= count else ""
        suffix = plain[end:end + words_after[count - 1].end()].strip() if len(words_after) >= count else ""
        for tried in ((prefix, ""), ("", suffix), (prefix, suffix)):
            if any(tried) and _anchors_at(text, plain, quote, *tried, start):
                return quote, *tried
    return quote, "", ""


def _common_tail(a: str, b: str) -> int:
    length = 0
    while length < min(len(a), len(b)) and a[-1 - length] == b[-1 - length]:
        length += 1
    return length


def _anchors_at(text: NormalisedText, plain: str, quote: str, prefix: str, suffix: str, start: int) -> bool:
    found = anchor_quote(text, plain, quote, prefix, suffix)
    return isinstance(found, Anchor) and found.start == start


_ESCAPED = re.compile(r"([\\`*_\[\]<&])")


def blockquote(quote: str) -> str:
    """The passage as the annotation's blockquote: each paragraph a `> ` line, markdown's
    characters escaped so that it reads as the source prints it."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", quote.strip())]
    lines = []
    for paragraph in paragraphs:
        escaped = _ESCAPED.sub(r"\\\1", paragraph)
        escaped = re.sub(r"^(#|[-+]\s|\d+[.)]\s)", r"\\\1", escaped)
        lines.append("> " + escaped)
    return "\n>\n".join(lines)


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    text = str(value)
    return text if load.ID_PATTERN.match(text) else json.dumps(text, ensure_ascii=False)


def compose(front: dict, quote_block: str, commentary: str) -> bytes:
    """An annotation file: the fields in schema order (others after them, as they were), the
    blockquote, the commentary."""
    order = list(SCHEMAS["annotations"])
    names = sorted(front, key=lambda n: order.index(n) if n in order else len(order))
    lines = ["---", *(f"{name}: {_yaml_value(front[name])}" for name in names), "---", "", quote_block.rstrip(), ""]
    if commentary.strip():
        lines += [commentary.strip().replace("\r\n", "\n"), ""]
    return "\n".join(lines).encode()


def _split(text: str) -> tuple[dict, str, str]:
    """An annotation file's front matter (as YAML reads it), its blockquote as written, and its
    commentary as written."""
    raw = load.RawFile("annotations/x/x.md", "x", load.ANNOTATIONS, "x", "x", text.encode())
    record, _ = parse_file(raw)
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    try:
        front = yaml.safe_load("\n".join(lines[1:close])) if close else {}
    except yaml.YAMLError:
        front = {}
    front = front if isinstance(front, dict) else {}
    body = lines[close + 1:]
    if record is None or record.commentary.empty:
        return front, "\n".join(body).strip("\n"), ""
    first = record.commentary.line - (close + 2)
    return front, "\n".join(body[:first]).strip("\n"), "\n".join(body[first:]).strip("\n")


def write_atomically(path: Path, data: bytes, replace: bool) -> None:
    """Write `path` whole or not at all: into a file beside it that the watcher ignores, then
    renamed into place. Without `replace`, raise FileExistsError (nothing written) when `path` exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temp, path)
        else:
            os.link(temp, path)  # a rename that never replaces a file
    finally:
        if os.path.exists(temp):
            os.unlink(temp)

