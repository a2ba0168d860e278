"""Browser-test plumbing: a static server like GitHub Pages, and headless Chromium via Playwright."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `base_path`; unknown paths get `404.html` with status 404, as Pages does."""

    def __init__(self, *args, base_path: str, **kwargs):
        self.base_path = base_path
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # keep test output quiet
        pass


@contextmanager
def serve_directory(root: Path, base_path: str = "/") -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at `base_path`; yields the site's URL (`http://127.0.0.1:PORT/base/`)."""
    handler = functools.partial(_PagesHandler, directory=str(root), base_path=base_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium_browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (its own browser download does not work here)."""
    from playwright.sync_api import sync_playwright

    from .conftest import chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
