# SPDX-License-Identifier: Apache-2.0
"""What every HTTP fake shares: a threaded HTTP(S) server on 127.0.0.1 with an
ephemeral port, a record of every request and of what was accepted or rejected
and why, and failures a test can switch on and off while the fake runs.

A fake subclasses HttpReceiver and implements handle(request) -> Response,
calling accept() for what the real service would take and reject() for what it
would refuse; it implements error_response() to answer an injected failure
with the service's own error body.
"""

import json
import shutil
import socket
import ssl
import sys
import threading
import time
import traceback
import zlib
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .tls import TlsFiles, make_tls_files

HOST = "127.0.0.1"
# No real service takes more in one request; beyond it the fake answers 413.
MAX_BODY_BYTES = 64 * 1024 * 1024
# An idle keep-alive connection (or a client that never finishes its TLS
# handshake) holds a thread no longer than this.
IDLE_TIMEOUT_S = 5.0
_CONNECTION_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError, OSError)


class ReceiverError(AssertionError):
    """A wait that timed out, or a fake used the wrong way."""


@dataclass
class Request:
    """One request as it arrived; `status` and `response_body` are filled in
    once the fake has answered it."""

    method: str
    path: str
    query: dict
    headers: object  # http.client.HTTPMessage: header lookups ignore case
    body: bytes  # as sent, still compressed if it was
    tls: bool
    time: float
    status: int = None
    response_body: bytes = b""

    def header(self, name, default=None):
        return self.headers.get(name, default)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple = ()  # extra (name, value) pairs

    @classmethod
    def json(cls, status, value, headers=()):
        return cls(status, json.dumps(value, separators=(",", ":")).encode(), "application/json", tuple(headers))

    @classmethod
    def text(cls, status, text, headers=(), content_type="text/plain; charset=utf-8"):
        return cls(status, text.encode(), content_type, tuple(headers))


@dataclass(frozen=True)
class Rejection:
    status: int
    reason: str
    path: str
    injected: bool  # a failure the test asked for, not a broken request


@dataclass(frozen=True)
class _Fault:
    status: int
    retry_after: float = None


def seconds_text(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def decode_content(body: bytes, encoding: str, limit: int) -> bytes:
    """The body without its Content-Encoding (identity, gzip, deflate).
    Raises ValueError for an unknown encoding or a broken stream, and
    OverflowError when the decoded body exceeds `limit` bytes."""
    encoding = (encoding or "identity").strip().lower()
    if encoding == "identity":
        decoded = body
    elif encoding in ("gzip", "x-gzip", "deflate"):
        window = zlib.MAX_WBITS | 16 if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(window)
        try:
            decoded = decompressor.decompress(body, limit + 1)
        except zlib.error as error:
            raise ValueError(f"the {encoding} body does not decompress: {error}") from None
        if not decompressor.eof and len(decoded) <= limit:
            raise ValueError(f"the {encoding} body is truncated")
    else:
        raise ValueError(f"unsupported Content-Encoding {encoding!r}")
    if len(decoded) > limit:
        raise OverflowError(f"the body is over {limit} bytes uncompressed")
    return decoded


class _Server(ThreadingHTTPServer):
    """One life of a fake's listening socket: refuse() ends it, come_back()
    starts another on the same port."""

    daemon_threads = False
    block_on_close = True  # server_close() joins the connection threads
    allow_reuse_address = True

    def __init__(self, port, receiver, ssl_context):
        self.receiver = receiver
        self.ssl_context = ssl_context
        self.closing = threading.Event()
        self._connections = set()  # file descriptors of open connections
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def finish_request(self, request, client_address):
        descriptor = request.fileno()
        with self._connections_lock:
            if self.closing.is_set():
                return
            self._connections.add(descriptor)
        connection = request
        try:
            request.settimeout(IDLE_TIMEOUT_S)
            if self.ssl_context is not None:
                try:
                    connection = self.ssl_context.wrap_socket(request, server_side=True)
                except _CONNECTION_ERRORS:
                    self.receiver._note_tls_failure()
                    return
            _Handler(connection, client_address, self)
        finally:
            with self._connections_lock:
                self._connections.discard(descriptor)
            if connection is not request:
                connection.close()

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], _CONNECTION_ERRORS):
            return  # the client went away, or refuse() cut the connection
        self.receiver._note_error(traceback.format_exc())

    def close_all(self):
        """Stops accepting, closes the listening socket (new connects are
        refused) and cuts every open connection, as a service that goes away
        does; returns once every connection thread has ended."""
        self.closing.set()
        self.shutdown()
        self.socket.close()
        with self._connections_lock:
            for descriptor in self._connections:
                try:
                    # A duplicate of the descriptor shuts down the same socket
                    # without touching the TLS object another thread is using.
                    with socket.fromfd(descriptor, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
                        duplicate.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue for big bodies
    # An answer leaves as headers, then body: without TCP_NODELAY the body
    # waits for the client's delayed ACK of the headers (about 40 ms), which
    # would cap every output at some 22 requests a second.
    disable_nagle_algorithm = True
    server_version = "vigil-test-receiver"
    sys_version = ""

    def log_message(self, format, *args):
        pass  # every request is in the receiver's record instead

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self):
        body = self._read_body()
        if body is None:
            return
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
            tls=self.server.ssl_context is not None,
            time=time.time(),
        )
        response = self.server.receiver._respond(request, self.server.closing)
        if response is None:
            self.close_connection = True  # the fake went away while answering
            return
        self._send(response)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(Response.text(400, "bad Content-Length"))
            return None
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(Response.text(413, "request body too large"))
            return None
        return self.rfile.read(length)

    def _read_chunked(self):
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                self._send(Response.text(400, "bad chunk size"))
                return None
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self.close_connection = True
                self._send(Response.text(413, "request body too large"))
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _send(self, response):
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()


class HttpReceiver:
    """Base of the HTTP fakes. `tls` is True (a throwaway CA and certificate
    made with openssl in a temporary directory, removed by stop()), False
    (plain HTTP), or a TlsFiles to share one CA between fakes."""

    service = "HTTP"
    # The header a 429 carries the wait in (seconds); a fake may add others.
    rate_limit_header = "Retry-After"

    def __init__(self, tls=True):
        self._tls_option = tls
        self.tls_files = tls if isinstance(tls, TlsFiles) else None
        self._own_tls_directory = None
        self._lock = threading.Condition()
        self._requests = []
        self._accepted = []
        self._collections = {}
        self._rejections = []
        self._errors = []
        self._tls_failures = 0
        self._fail_next = deque()
        self._standing_fault = None
        self._delay_s = 0.0
        self._refused = False
        self._come_back_timer = None
        self._server = None
        self._thread = None
        self._ssl_context = None
        self.port = None

    # --- life -------------------------------------------------------------

    def start(self):
        if self._server is not None or self._refused:
            raise ReceiverError(f"the {self.service} fake is already started")
        if self._tls_option is True and self.tls_files is None:
            self.tls_files = make_tls_files()
            self._own_tls_directory = self.tls_files.directory
        if self.tls_files is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(str(self.tls_files.cert_file), str(self.tls_files.key_file))
            self._ssl_context = context
        self._serve(0)
        return self

    def stop(self):
        """Closes everything the fake opened; safe to call twice."""
        with self._lock:
            timer, self._come_back_timer = self._come_back_timer, None
        if timer is not None:
            timer.cancel()
            timer.join()  # a come_back() under way finishes before the close
        with self._lock:
            server, self._server = self._server, None
            thread, self._thread = self._thread, None
            self._refused = False
        self._close(server, thread)
        if self._own_tls_directory is not None:
            shutil.rmtree(self._own_tls_directory, ignore_errors=True)
            self._own_tls_directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _serve(self, port):
        deadline = time.monotonic() + 2.0
        while True:
            try:
                server = _Server(port, self, self._ssl_context)
                break
            except OSError:
                # The same port again after refuse(): retry briefly in case the
                # kernel still holds it; a port taken by another program stays an error.
                if port == 0 or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01},
            name=f"{self.service}-receiver", daemon=True)
        thread.start()
        with self._lock:
            self._server, self._thread = server, thread
            self.port = server.server_address[1]

    @staticmethod
    def _close(server, thread):
        if server is not None:
            server.close_all()
        if thread is not None:
            thread.join()

    @property
    def url(self) -> str:
        """The base URL, e.g. https://127.0.0.1:41234 (no trailing slash)."""
        scheme = "https" if self.tls_files is not None else "http"
        return f"{scheme}://{HOST}:{self.port}"

    @property
    def ca_file(self):
        """The CA bundle that verifies the fake's certificate (None for plain HTTP)."""
        return str(self.tls_files.ca_file) if self.tls_files is not None else None

    # --- failures a test switches on ----------------------------------------

    def refuse(self, seconds=None):
        """Goes away: closes the listening socket (connects are refused) and
        cuts open connections. Comes back on the same port after `seconds`,
        or when come_back() is called."""
        with self._lock:
            if self._refused:
                return
            self._refused = True
            server, self._server = self._server, None
            thread, self._thread = self._thread, None
        self._close(server, thread)
        if seconds is not None:
            timer = threading.Timer(seconds, self.come_back)
            timer.daemon = True
            with self._lock:
                self._come_back_timer = timer
            timer.start()

    def come_back(self):
        """Listens again, on the same port as before refuse()."""
        with self._lock:
            if not self._refused:
                return
            self._refused = False
        self._serve(self.port)

    @property
    def refusing(self) -> bool:
        return self._refused

    def slow(self, seconds):
        """Answers every request `seconds` late (0 for prompt answers). What
        the request carried is taken before the wait, as a real service that
        is slow to answer has already taken it."""
        with self._lock:
            self._delay_s = float(seconds)

    def fail(self, status, retry_after=None):
        """Answers every request with `status` and the service's error body
        until recover(); `retry_after` adds the service's wait header."""
        with self._lock:
            self._standing_fault = _Fault(status, retry_after)

    def fail_next(self, count, status=503, retry_after=None):
        """Answers the next `count` requests with `status`, then as usual."""
        with self._lock:
            self._fail_next.extend(_Fault(status, retry_after) for _ in range(count))

    def rate_limit(self, retry_after=1, count=None):
        """429 with the service's wait header: for the next `count` requests,
        or until recover() when count is None."""
        self._fault(429, retry_after, count)

    def unavailable(self, count=None):
        self._fault(503, None, count)

    def internal_error(self, count=None):
        self._fault(500, None, count)

    def bad_request(self, count=None):
        self._fault(400, None, count)

    def _fault(self, status, retry_after, count):
        if count is None:
            self.fail(status, retry_after)
        else:
            self.fail_next(count, status, retry_after)

    def recover(self):
        """Back to normal: no injected failures, no delay, listening."""
        with self._lock:
            self._fail_next.clear()
            self._standing_fault = None
            self._delay_s = 0.0
            timer, self._come_back_timer = self._come_back_timer, None
        if timer is not None:
            timer.cancel()
        self.come_back()

    # --- the record -----------------------------------------------------------

    @property
    def requests(self) -> list:
        with self._lock:
            return list(self._requests)

    @property
    def accepted(self) -> list:
        """Every item the fake accepted, in order of arrival."""
        with self._lock:
            return list(self._accepted)

    def collection(self, name) -> list:
        with self._lock:
            return list(self._collections.get(name, ()))

    @property
    def rejections(self) -> list:
        """Every request answered with an error: injected, or broken (with why)."""
        with self._lock:
            return list(self._rejections)

    @property
    def errors(self) -> list:
        """Tracebacks of exceptions inside the fake itself: should stay empty."""
        with self._lock:
            return list(self._errors)

    @property
    def counters(self) -> dict:
        with self._lock:
            return {
                "requests": len(self._requests),
                "accepted": len(self._accepted),
                "rejected": sum(1 for rejection in self._rejections if not rejection.injected),
                "injected": sum(1 for rejection in self._rejections if rejection.injected),
                "tls_failures": self._tls_failures,
            }

    def clear(self):
        """Forgets what was recorded so far (not the failure settings)."""
        with self._lock:
            self._requests.clear()
            self._accepted.clear()
            self._collections.clear()
            self._rejections.clear()
            self._tls_failures = 0

    def wait_for(self, count, timeout=10.0, collection=None) -> list:
        """Waits until at least `count` items were accepted (or are in the
        named collection) and returns them all; fails with what the fake saw."""
        def ready():
            items = self._accepted if collection is None else self._collections.get(collection, [])
            return list(items) if len(items) >= count else None

        return self._wait(ready, timeout, f"{count} accepted {collection or 'items'}")

    def wait_for_requests(self, count, timeout=10.0) -> list:
        return self._wait(lambda: list(self._requests) if len(self._requests) >= count else None,
                          timeout, f"{count} requests")

    def _wait(self, ready, timeout, what):
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                result = ready()
                if result is not None:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ReceiverError(f"the {self.service} fake did not get {what} within {timeout} s: "
                                        + self.describe())
                self._lock.wait(remaining)

    def describe(self) -> str:
        """What the fake saw, for failure messages."""
        counters = self.counters
        text = ", ".join(f"{name} {value}" for name, value in counters.items())
        rejections = self.rejections[-5:]
        if rejections:
            text += "; last rejections: " + "; ".join(
                f"{rejection.status} {rejection.reason}" for rejection in rejections)
        return text

    # --- for the fakes ------------------------------------------------------------

    def handle(self, request) -> Response:
        raise NotImplementedError

    def error_response(self, request, status, headers) -> Response:
        """The service's own answer with `status` to `request`, for injected failures."""
        return Response.json(status, {"error": f"injected {status}"}, headers)

    def rate_limit_headers(self, retry_after) -> list:
        return [(self.rate_limit_header, seconds_text(retry_after))]

    def accept(self, items, collection=None):
        with self._lock:
            self._accepted.extend(items)
            if collection is not None:
                self._collections.setdefault(collection, []).extend(items)
            self._lock.notify_all()

    def add_to(self, collection, items):
        """Records items in a named collection only (not in `accepted`)."""
        with self._lock:
            self._collections.setdefault(collection, []).extend(items)
            self._lock.notify_all()

    def reject(self, request, response, reason) -> Response:
        with self._lock:
            self._rejections.append(Rejection(response.status, reason, request.path, injected=False))
            self._lock.notify_all()
        return response

    def _respond(self, request, closing):
        with self._lock:
            self._requests.append(request)
            fault = self._fail_next.popleft() if self._fail_next else self._standing_fault
            delay = self._delay_s
            self._lock.notify_all()
        if fault is not None:
            headers = self.rate_limit_headers(fault.retry_after) if fault.retry_after is not None else []
            response = self.error_response(request, fault.status, headers)
            with self._lock:
                self._rejections.append(Rejection(fault.status, f"injected {fault.status}", request.path, True))
                self._lock.notify_all()
        else:
            try:
                response = self.handle(request)
            except Exception:
                self._note_error(traceback.format_exc())
                response = Response.json(500, {"error": "the test receiver failed; see its errors"})
        if delay and closing.wait(delay):
            return None
        request.status = response.status
        request.response_body = response.body
        return response

    def _note_error(self, text):
        with self._lock:
            self._errors.append(text)

    def _note_tls_failure(self):
        with self._lock:
            self._tls_failures += 1
            self._lock.notify_all()
