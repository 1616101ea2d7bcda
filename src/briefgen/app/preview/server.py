"""The preview's web server, on 127.0.0.1 only: the page, its events, pages and files.

    /              the page
    /events        server-sent events: the whole state as JSON, on every change
    /state.json    the state now (for tools and tests)
    /page/KEY.png  a page image, by the hash of its pixels (cached for good)
    /brief.pdf     the current PDF;  /brief.docx  the current Word file
"""

from __future__ import annotations

import errno
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefgen.app.preview.page import html
from briefgen.app.preview.session import Session, State
from briefgen.errors import BriefError

HOST = "127.0.0.1"
PING = 10.0  # seconds between keep-alive comments on an idle event stream
IMMUTABLE = "public, max-age=31536000, immutable"  # a page image's name is its content
PAGE_IMAGE = re.compile(r"^/page/([0-9a-f]{16})\.png$")
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, session: Session, port: int) -> None:
        self.session = session
        self.closing = threading.Event()
        try:
            super().__init__((HOST, port), Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BriefError(f"port {port} is in use on {HOST}",
                                 hint="choose another with --port, or --port 0 for any free one"
                                 ) from None
            raise BriefError(f"cannot listen on {HOST}:{port}: {exc.strerror}",
                             hint="choose another port with --port") from None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def close(self) -> None:
        self.closing.set()
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass  # the terminal shows builds, not requests

    def do_GET(self) -> None:  # noqa: N802 (the base's name)
        if not self._local_host():
            return self._send(HTTPStatus.FORBIDDEN, b"not a local address", "text/plain")
        session = self.server.session
        path = self.path.split("?", 1)[0]
        if path == "/":
            body = html(session.folder.name).encode()
            return self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")
        if path == "/events":
            return self._events()
        if path == "/state.json":
            return self._json(session.state)
        if path in ("/brief.pdf", "/brief.docx"):
            return self._file(session.state, path.rsplit(".", 1)[1])
        m = PAGE_IMAGE.match(path)
        image = session.renderer.image(m.group(1)) if m else None
        if image is not None:
            return self._send(HTTPStatus.OK, image, "image/png", cache=IMMUTABLE)
        return self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

    def _local_host(self) -> bool:
        """Only the names this server is reached by locally (no DNS rebinding)."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in ("127.0.0.1", "localhost", "")

    def _send(self, status: HTTPStatus, body: bytes, media: str, cache: str = "no-store",
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, state: State) -> None:
        body = state.json.encode()
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")

    def _file(self, state: State, fmt: str) -> None:
        if fmt == "docx" and state.docx_pending:  # the Word file of the PDF now shown
            state = self.server.session.wait_until(lambda s: not s.docx_pending, 60)
        body = state.pdf if fmt == "pdf" else state.docx
        if body is None:
            message = "the brief has not been built yet: see the preview page for why"
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, message.encode(), "text/plain")
        etag = state.etags[fmt]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        name = state.names.get(fmt, f"brief.{fmt}")
        disposition = "inline" if fmt == "pdf" else "attachment"
        self._send(HTTPStatus.OK, body, MEDIA[fmt], cache="no-cache", extra={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{_quote(name)}",
            "ETag": etag,
        })

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not self.server.closing.is_set():
                state = self.server.session.wait(seen, PING)
                if state.generation == seen:
                    self.wfile.write(b": ping\n\n")
                else:
                    seen = state.generation
                    self.wfile.write(f"event: state\ndata: {state.json}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
