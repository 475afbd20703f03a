"""A real HTTP server on 127.0.0.1 standing in for arXiv, Hugging Face and GitHub.

It replays the recorded arXiv responses in tests/fixtures/ (matched on the
parsed `id_list`), answers Hugging Face and GitHub from dicts a test fills in,
can be scripted to fail (429, 503, slow), and records every request it saw,
with the number in flight at once.
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
ATOM = {"Content-Type": "application/atom+xml; charset=UTF-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}


def recorded(name: str) -> bytes:
    """A recorded response body, byte for byte (stored gzipped, so that no test file
    names a live API host in plain text)."""
    return gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())

# id_list (as sent, comma-joined) -> (status, recorded feed)
ARXIV_FEEDS = {
    "1605.08386": (200, "arxiv_api_1605.08386.xml"),
    "1707.08567": (200, "arxiv_api_1707.08567.xml"),
    "2104.12255": (200, "arxiv_api_2104.12255v1.xml"),
    "0808.05394": (200, "arxiv_api_0808.05394_not_found.xml"),
    "0808.05394,1707.08567": (200, "arxiv_api_0808.05394_and_1707.08567.xml"),
    "astro-ph/0601001": (200, "arxiv_api_astro-ph_0601001.xml"),
    "quant-ph/0201082": (200, "arxiv_api_quant-ph_0201082v1.xml"),
    "1111.2011": (200, "arxiv_api_1111.2011v2_classic2016.xml"),
    "1710.08557": (200, "arxiv_api_1710.08557_classic2019.xml"),
    "abc": (400, "arxiv_api_abc_error_http400.xml"),
}


def combined_feed(*names: str) -> bytes:
    """One feed holding the entries of several recorded single-paper feeds (built
    for the batch test from real responses; arXiv answers a multi-id request so)."""
    texts = [recorded(name).decode("utf-8") for name in names]
    entries = "".join(t[t.index("<entry>"):t.rindex("</entry>") + len("</entry>")] for t in texts)
    head = texts[0][:texts[0].index("<entry>")].replace(
        "<opensearch:totalResults>1<", f"<opensearch:totalResults>{len(names)}<")
    return (head + entries + "\n</feed>\n").encode("utf-8")


def synthetic_feed(papers: list[dict]) -> bytes:
    """A feed in the shape of the recorded ones (ids, titles, dates, comments given by the
    test), for requests no recording covers, such as a whole list's ids at once."""
    from xml.sax.saxutils import escape

    entries = "".join(
        f"<entry><id>https://arxiv.org/abs/{p['id']}v1</id><title>{escape(p['title'])}</title>"
        f"<updated>{p['published']}T00:00:00Z</updated><published>{p['published']}T00:00:00Z</published>"
        f"<summary>{escape(p.get('summary', ''))}</summary><author><name>A. Author</name></author>"
        f"<arxiv:comment>{escape(p.get('comment', ''))}</arxiv:comment></entry>" for p in papers)
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            f"<opensearch:totalResults>{len(papers)}</opensearch:totalResults>"
            f"<opensearch:startIndex>0</opensearch:startIndex>{entries}</feed>").encode("utf-8")


class LoopbackServer(ThreadingHTTPServer):
    """A threading server whose listen queue holds a burst of concurrent connections
    (the default of 5 drops SYNs, and a dropped SYN is retried only after 1 s)."""

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client hanging up (vrlcat cancelling a request at its deadline) is not an error;
        printed, it would land in the stderr a test is reading."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    refuse_head: bool = False  # answer HEAD with 405, as some servers do


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    at: float


class Running:
    """A loopback server in a thread, as a context manager, with its base URL."""

    def _serve(self, server: LoopbackServer) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class FakeServices(Running):
    def __init__(self):
        self.requests: list[Seen] = []
        self.hf: dict[str, dict] = {}  # arxiv id -> /api/papers/{id} JSON (absent: 404)
        self.github: dict[str, Reply] = {}  # "owner/repo" -> reply (absent: 404)
        self.scripts: dict[str, list[Reply]] = {}
        self.links: dict[str, Reply] = {}  # /links/... -> reply (absent: 200)  # path prefix -> replies served in turn (last repeats)
        self.arxiv_papers: dict[str, dict] = {}  # id -> synthetic_feed record, for any id_list of them
        self.arxiv_feeds = {key: Reply(status, recorded(name), ATOM)
                            for key, (status, name) in ARXIV_FEEDS.items()}
        self.in_flight: dict[str, int] = {}  # first path segment -> requests being served now
        self.max_in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self._serve(LoopbackServer(("127.0.0.1", 0), self._handler()))

    def seen(self, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def reply(self, method: str, path: str, query: dict) -> Reply:
        for prefix, replies in self.scripts.items():
            if path.startswith(prefix):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        if path == "/arxiv/api/query":
            key = ",".join(query.get("id_list", [""]))
            if key not in self.arxiv_feeds and all(i in self.arxiv_papers for i in query.get("id_list", [])):
                return Reply(200, synthetic_feed([self.arxiv_papers[i] for i in query["id_list"]]), ATOM)
            return self.arxiv_feeds.get(key, Reply(200, recorded("arxiv_api_0808.05394_not_found.xml"), ATOM))
        if path.startswith("/hf/api/papers/"):
            paper = self.hf.get(path.removeprefix("/hf/api/papers/"))
            if paper is None:
                return Reply(404, b'{"error":"Entry not found"}', {"Content-Type": "application/json"})
            return Reply(200, json.dumps(paper).encode(), {"Content-Type": "application/json"})
        if path.startswith("/links/"):
            return self.links.get(path, Reply(200, b"ok"))
        if path.startswith("/github/repos/"):
            reply = self.github.get(path.removeprefix("/github/repos/"),
                                    Reply(404, b'{"message": "Not Found"}', {"Content-Type": "application/json"}))
            return reply if reply.headers else Reply(reply.status, reply.body, JSON, reply.delay)
        return Reply(404, b"no route")

    def _handler(self):
        services = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # else ~40 ms per request (delayed ACK against Nagle)
            protocol_version = "HTTP/1.1"  # keep connections alive, as real services do

            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                query = {k: v[0].split(",") if k == "id_list" else v for k, v in parse_qs(parts.query).items()}
                host = parts.path.split("/")[1]
                with services._lock:
                    services.requests.append(Seen(self.command, parts.path, query, dict(self.headers), time.monotonic()))
                    services.in_flight[host] = services.in_flight.get(host, 0) + 1
                    services.max_in_flight[host] = max(services.max_in_flight.get(host, 0), services.in_flight[host])
                try:
                    reply = services.reply(self.command, parts.path, query)
                    if reply.refuse_head and self.command == "HEAD":
                        reply = Reply(405, b"")
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with services._lock:
                        services.in_flight[host] -= 1

            do_GET = do_HEAD = _serve

        return Handler


class FaultServer(Running):
    """A loopback server whose routes are functions writing whatever they like to the
    socket (a byte drip, headers that never come, an endless body), for the fault tests.

    A route gets (handler, server); `server.stopping` is set at shutdown so slow routes
    end at once. `sent` counts body bytes written per path; `seen` lists (method, path)."""

    def __init__(self, routes: dict, host: str = "127.0.0.1"):
        self.routes = routes
        self.seen: list[tuple[str, str]] = []
        self.sent: dict[str, int] = {}
        self.stopping = threading.Event()
        self._serve(LoopbackServer((host, 0), self._handler()))

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        super().__exit__(*exc)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                path = urlsplit(self.path).path
                server.seen.append((self.command, path))
                route = server.routes.get(path) or server.routes.get("*")
                try:
                    if route is None:
                        answer(self, 404, b"no route")
                    else:
                        route(self, server)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_HEAD = _serve

        return Handler


def answer(handler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
    """A plain complete answer from a FaultServer route."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def drip(body: bytes, every: float):
    """A route sending a complete-looking answer one byte at a time, `every` seconds apart."""

    def route(handler, server) -> None:
        path = urlsplit(handler.path).path
        handler.send_response(200)
        handler.send_header("Content-Type", "application/atom+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if server.stopping.wait(every):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            server.sent[path] = server.sent.get(path, 0) + 1

    return route


def slow_headers(seconds: float):
    """A route that accepts the request and says nothing for `seconds`."""

    def route(handler, server) -> None:
        if not server.stopping.wait(seconds):
            answer(handler, 200, b"late")

    return route


def endless_body(head_status: int = 405, size: int = 1_500_000_000):
    """HEAD refused; GET announces `size` bytes and writes until the client hangs up."""

    def route(handler, server) -> None:
        if handler.command == "HEAD":
            answer(handler, head_status)
            return
        path = urlsplit(handler.path).path
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"x" * 65536
        while not server.stopping.is_set() and server.sent.get(path, 0) < size:
            handler.wfile.write(chunk)
            server.sent[path] = server.sent.get(path, 0) + len(chunk)

    return route


def in_turn(*routes):
    """A route acting as each of `routes` in turn, the last one repeating."""
    queue = list(routes)

    def route(handler, server) -> None:
        current = queue.pop(0) if len(queue) > 1 else queue[0]
        current(handler, server)

    return route


def hang_up(handler, server) -> None:
    """Close the connection without answering (a transient network failure)."""
    handler.close_connection = True
    handler.connection.shutdown(2)
