"""`serve`'s HTTP server, run in this process: whom it answers, how many it holds at once, and
quiet when a browser hangs up."""

from __future__ import annotations

import http.client
import socket
import struct
import threading

import pytest

from sitegen.incremental import Engine
from sitegen.pipeline import BuildOptions
from sitegen.serve import Hub, SiteServer

from .conftest import FIXTURE_CONTENT


class Running:
    """A SiteServer on the fixture site, built once; `start()` begins answering."""

    def __init__(self, out):
        self.engine = Engine(BuildOptions(content=FIXTURE_CONTENT, out=out))
        assert self.engine.build_all().ok
        self.hub = Hub()
        self.server = SiteServer(("127.0.0.1", 0), out, "/", self.hub, self.engine, threading.Lock())
        self.server.daemon_threads = False  # so that `stop()` waits for every request to be handled
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.hub.close()
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()

    def get(self, path: str, host: str | None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body


@pytest.fixture
def running(tmp_path):
    server = Running(tmp_path / "site")
    try:
        yield server
    finally:
        server.stop()


def test_answers_only_requests_for_its_own_address(running):
    running.start()
    port = running.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, body = running.get("/actors/northland/", host)
        assert status == 200 and b"<h1" in body, host
    refused = f"Forbidden: this server only answers requests for http://127.0.0.1:{port}/\n".encode()
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}", None):
        for path in ("/actors/northland/", "/__sitegen/events?page=/&build=0", "/../etc/passwd"):
            assert running.get(path, host) == (403, refused), (host, path)


def test_a_client_that_hangs_up_mid_response_leaves_no_traceback(running, capfd):
    (running.engine.options.out / "big.bin").write_bytes(b"x" * (64 << 20))  # more than the sockets hold
    running.start()
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.settimeout(10)
    client.connect(("127.0.0.1", running.port))
    client.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\n\r\n".encode())
    assert client.recv(4096).startswith(b"HTTP/1.0 200 OK")
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    client.close()
    assert running.get("/", f"127.0.0.1:{running.port}")[0] == 200
    running.stop()  # waits for the request's thread
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err


def test_holds_two_hundred_connections_opened_while_it_is_busy(running):
    """A page asking for all its files at once while a rebuild holds the server: each waits, none is refused."""
    request = f"GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\nConnection: close\r\n\r\n".encode()
    clients = []
    try:
        for _ in range(200):  # nothing is accepted yet: the system must hold them all
            client = socket.create_connection(("127.0.0.1", running.port), timeout=30)
            client.sendall(request)
            clients.append(client)
        running.start()
        for client in clients:
            response = b""
            while chunk := client.recv(65536):
                response += chunk
            assert response.startswith(b"HTTP/1.0 200 OK\r\n") and b"\r\n\r\n" in response
    finally:
        for client in clients:
            client.close()


def test_head_has_no_body_folders_are_not_listed_and_nothing_is_cached(running):
    running.start()

    def request(method: str, path: str) -> tuple[int, bytes, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, dict(response.getheaders())

    status, page, headers = request("GET", "/actors/northland/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    status, body, headers = request("HEAD", "/actors/northland/")
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len(page))
    status, body, headers = request("GET", "/static/")  # a folder without index.html: the 404 page
    assert status == 404 and body == (running.engine.options.out / "404.html").read_bytes()
    status, body, headers = request("GET", "/data/annotations.csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
