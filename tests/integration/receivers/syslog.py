# SPDX-License-Identifier: Apache-2.0
"""A loopback RFC 5424 syslog receiver on UDP, TCP and a unix datagram
socket. Every message is parsed and checked (PRI, VERSION 1, an RFC 3339
TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID, STRUCTURED-DATA, MSG); what
fails is counted as malformed with the reason, never silently dropped.

TCP framing (RFC 6587): octet counting (`<length> SP <message>`) and the
non-transparent framing with an LF trailer are both accepted, frame by frame.
A frame that is neither, or a connection that ends inside a frame, counts as
malformed, and a frame that cannot be resynchronised closes the connection.
"""

import os
import re
import selectors
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from .base import HOST, ReceiverError

MAX_MESSAGE_BYTES = 64 * 1024
_BOM = b"\xef\xbb\xbf"
_TIMESTAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")
_HEADER_FIELDS = (("HOSTNAME", 255), ("APP-NAME", 48), ("PROCID", 128), ("MSGID", 32))


class MalformedSyslog(ValueError):
    pass


@dataclass
class SyslogMessage:
    facility: int
    severity: int
    version: int
    timestamp: str  # as sent; None for the NILVALUE
    time: datetime  # parsed, with its offset; None for the NILVALUE
    hostname: str  # None for "-", as for the fields below
    app_name: str
    procid: str
    msgid: str
    structured_data: dict  # SD-ID -> {PARAM-NAME: value}
    msg: str  # None when there is no MSG
    msg_bytes: bytes
    transport: str = ""  # "udp", "tcp" or "unix"
    framing: str = None  # for TCP: "octet-counting" or "non-transparent"
    raw: bytes = b""


@dataclass(frozen=True)
class Malformed:
    transport: str
    reason: str
    raw: bytes


def _ascii_field(name, value, limit):
    if not 1 <= len(value) <= limit or any(byte < 33 or byte > 126 for byte in value):
        raise MalformedSyslog(f"{name} {value[:60]!r} is not 1 to {limit} printable ASCII characters")
    text = value.decode("ascii")
    return None if text == "-" else text


def _parse_timestamp(value):
    if value == b"-":
        return None, None
    if not _TIMESTAMP.fullmatch(value):
        raise MalformedSyslog(f"TIMESTAMP {value[:40]!r} is not RFC 3339 (YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm))")
    text = value.decode("ascii")
    try:
        return text, datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedSyslog(f"TIMESTAMP {text!r}: {error}") from None


def _read_name(data, position, what):
    start = position
    while position < len(data) and 33 <= data[position] <= 126 and data[position] not in b'= ]"':
        position += 1
    name = data[start:position]
    if not 1 <= len(name) <= 32:
        raise MalformedSyslog(f"{what} {name!r} is not 1 to 32 characters")
    return name.decode("ascii"), position


def _parse_structured_data(data):
    """STRUCTURED-DATA at the start of `data` -> (dict, the bytes after it)."""
    if data.startswith(b"-"):
        return {}, data[1:]
    if not data.startswith(b"["):
        raise MalformedSyslog("STRUCTURED-DATA is neither '-' nor an [element]")
    elements = {}
    position = 0
    while position < len(data) and data[position:position + 1] == b"[":
        sd_id, position = _read_name(data, position + 1, "SD-ID")
        if sd_id in elements:
            raise MalformedSyslog(f"SD-ID {sd_id} appears twice")
        params = {}
        while True:
            if position >= len(data):
                raise MalformedSyslog(f"SD-ELEMENT {sd_id} is not closed")
            if data[position:position + 1] == b"]":
                position += 1
                break
            if data[position:position + 1] != b" ":
                raise MalformedSyslog(f"unexpected {data[position:position + 1]!r} in SD-ELEMENT {sd_id}")
            name, position = _read_name(data, position + 1, "PARAM-NAME")
            if data[position:position + 2] != b'="':
                raise MalformedSyslog(f"PARAM-NAME {name} is not followed by =\"")
            position += 2
            value = bytearray()
            while True:
                if position >= len(data):
                    raise MalformedSyslog(f"PARAM-VALUE of {name} is not closed")
                byte = data[position]
                if byte == 0x5C and data[position + 1:position + 2] in (b'"', b"\\", b"]"):
                    value.append(data[position + 1])
                    position += 2
                elif byte == 0x22:
                    position += 1
                    break
                elif byte == 0x5D:
                    raise MalformedSyslog(f"PARAM-VALUE of {name} has an unescaped ']'")
                else:
                    value.append(byte)
                    position += 1
            try:
                params[name] = value.decode("utf-8")
            except UnicodeDecodeError:
                raise MalformedSyslog(f"PARAM-VALUE of {name} is not UTF-8") from None
        elements[sd_id] = params
    return elements, data[position:]


def parse_rfc5424(data: bytes) -> SyslogMessage:
    """One RFC 5424 message; raises MalformedSyslog saying what is wrong."""
    if not data.startswith(b"<"):
        raise MalformedSyslog("no PRI: the message does not start with '<'")
    close = data.find(b">", 1, 6)
    pri_text = data[1:close] if close > 0 else b""
    if (not pri_text.isdigit() or len(pri_text) > 3 or (len(pri_text) > 1 and pri_text.startswith(b"0"))
            or int(pri_text) > 191):
        raise MalformedSyslog(f"PRI {data[:6]!r} is not <0> to <191>")
    pri = int(pri_text)
    fields = data[close + 1:].split(b" ", 6)
    if len(fields) < 7:
        raise MalformedSyslog("the header has fewer than VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD")
    version, timestamp, hostname, app_name, procid, msgid, rest = fields
    if version != b"1":
        raise MalformedSyslog(f"VERSION is {version[:10]!r}, not 1")
    timestamp_text, parsed_time = _parse_timestamp(timestamp)
    header = [_ascii_field(name, value, limit)
              for (name, limit), value in zip(_HEADER_FIELDS, (hostname, app_name, procid, msgid))]
    structured_data, after = _parse_structured_data(rest)
    if after and not after.startswith(b" "):
        raise MalformedSyslog("STRUCTURED-DATA is not followed by a space or the end")
    msg_bytes = after[1:] if after else b""
    if msg_bytes.startswith(_BOM):
        try:
            msg = msg_bytes[len(_BOM):].decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedSyslog("MSG starts with a BOM but is not UTF-8") from None
    else:
        msg = msg_bytes.decode("utf-8", errors="replace") if after else None
    return SyslogMessage(pri // 8, pri % 8, 1, timestamp_text, parsed_time, *header,
                         structured_data, msg, msg_bytes, raw=data)


@dataclass(eq=False)  # kept in a set, by identity
class _Stream:
    connection: socket.socket
    buffer: bytes = b""


class SyslogReceiver:
    """start()/stop() or a context manager. `tcp_port`, `udp_port` (the same
    number when it was free on both), `unix_path`; `messages` (alias
    `accepted`), `malformed`, `frames` (everything received, as
    (transport, bytes)); refuse()/come_back() close and reopen every socket
    at the same port and path; slow(seconds) reads that much later."""

    service = "syslog"
    ca_file = None

    def __init__(self, udp=True, tcp=True, unix=True, max_message_bytes=MAX_MESSAGE_BYTES):
        self.transports = {name for name, wanted in (("udp", udp), ("tcp", tcp), ("unix", unix)) if wanted}
        self.max_message_bytes = max_message_bytes
        self._lock = threading.Condition()
        self._messages = []
        self._malformed = []
        self._frames = []
        self._delay_s = 0.0
        self._commands = []
        self._command_posted = threading.Event()
        self._selector = None
        self._thread = None
        self._wakeup = None
        self._sockets = {}  # transport -> listening or datagram socket
        self._streams = set()
        self._directory = None
        self._refused = False
        self._stopping = False
        self._come_back_timer = None
        self.tcp_port = self.udp_port = None
        self.unix_path = None
        self._errors = []

    # --- life -------------------------------------------------------------

    def start(self):
        if self._thread is not None:
            raise ReceiverError("the syslog fake is already started")
        self._selector = selectors.DefaultSelector()
        self._wakeup = socket.socketpair()
        self._wakeup[0].setblocking(False)
        self._selector.register(self._wakeup[0], selectors.EVENT_READ, self._on_wakeup)
        if "unix" in self.transports:
            self._directory = tempfile.mkdtemp(prefix="vigil-syslog-")
            self.unix_path = os.path.join(self._directory, "log.sock")
        self._open_sockets()
        self._thread = threading.Thread(target=self._run, name="syslog-receiver", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is None:
            return
        timer, self._come_back_timer = self._come_back_timer, None
        if timer is not None:
            timer.cancel()
            timer.join()
        self._stopping = True
        self._command_posted.set()
        self._wakeup[1].send(b"x")
        self._thread.join()
        self._thread = None
        self._close_sockets()
        self._selector.unregister(self._wakeup[0])
        self._selector.close()
        for end in self._wakeup:
            end.close()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self.tcp_port if self.tcp_port is not None else self.udp_port

    @property
    def tcp_address(self):
        return (HOST, self.tcp_port)

    @property
    def udp_address(self):
        return (HOST, self.udp_port)

    @property
    def url(self):
        """tcp://127.0.0.1:<port> (udp:// when there is no TCP)."""
        return f"{'tcp' if self.tcp_port else 'udp'}://{HOST}:{self.port}"

    # --- failures -----------------------------------------------------------

    def refuse(self, seconds=None):
        """Closes every socket (and removes the unix socket): TCP connects
        are refused, datagrams bounce. Back after `seconds`, or at come_back()."""
        self._call(self._close_sockets_for_refusal)
        if seconds is not None:
            self._come_back_timer = threading.Timer(seconds, self.come_back)
            self._come_back_timer.daemon = True
            self._come_back_timer.start()

    def come_back(self):
        self._call(self._reopen)

    @property
    def refusing(self):
        return self._refused

    def slow(self, seconds):
        """Reads (and so drains the sockets) `seconds` after each wake-up."""
        with self._lock:
            self._delay_s = float(seconds)

    def recover(self):
        self.slow(0)
        self.come_back()

    # --- the record -----------------------------------------------------------

    @property
    def messages(self):
        with self._lock:
            return list(self._messages)

    accepted = messages

    @property
    def malformed(self):
        with self._lock:
            return list(self._malformed)

    @property
    def frames(self):
        with self._lock:
            return list(self._frames)

    requests = frames

    @property
    def errors(self):
        with self._lock:
            return list(self._errors)

    @property
    def counters(self):
        with self._lock:
            return {"frames": len(self._frames), "messages": len(self._messages),
                    "malformed": len(self._malformed)}

    def clear(self):
        with self._lock:
            self._messages.clear()
            self._malformed.clear()
            self._frames.clear()

    def wait_for(self, count, timeout=10.0):
        return self._wait(lambda: self._messages, count, timeout, "messages")

    def wait_for_malformed(self, count, timeout=10.0):
        return self._wait(lambda: self._malformed, count, timeout, "malformed messages")

    def _wait(self, items, count, timeout, what):
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(items()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    reasons = "; ".join(m.reason for m in self._malformed[-5:])
                    raise ReceiverError(f"the syslog fake did not get {count} {what} within {timeout} s: "
                                        f"{self.counters}" + (f"; last malformed: {reasons}" if reasons else ""))
                self._lock.wait(remaining)
            return list(items())

    # --- sockets (opened and closed on the receiver's thread once it runs) ---------

    def _open_sockets(self):
        if "tcp" in self.transports:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((HOST, self.tcp_port or 0))
            listener.listen(64)
            listener.setblocking(False)
            self.tcp_port = listener.getsockname()[1]
            self._register("tcp", listener, self._on_accept)
        if "udp" in self.transports:
            datagrams = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            datagrams.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            datagrams.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
            try:
                datagrams.bind((HOST, self.udp_port or self.tcp_port or 0))
            except OSError:
                if self.udp_port is not None:
                    raise
                datagrams.bind((HOST, 0))
            datagrams.setblocking(False)
            self.udp_port = datagrams.getsockname()[1]
            self._register("udp", datagrams, self._on_datagram)
        if "unix" in self.transports:
            local = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            local.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
            local.bind(self.unix_path)
            local.setblocking(False)
            self._register("unix", local, self._on_datagram)

    def _register(self, transport, sock, callback):
        self._sockets[transport] = sock
        self._selector.register(sock, selectors.EVENT_READ, callback)

    def _close_sockets(self):
        for stream in list(self._streams):
            self._end_stream(stream, at_eof=False)
        for sock in self._sockets.values():
            self._selector.unregister(sock)
            sock.close()
        self._sockets.clear()
        if self.unix_path is not None and os.path.exists(self.unix_path):
            os.unlink(self.unix_path)

    def _close_sockets_for_refusal(self):
        if not self._refused:
            self._refused = True
            self._close_sockets()

    def _reopen(self):
        if self._refused:
            self._refused = False
            self._open_sockets()

    def _call(self, function):
        """Runs `function` on the receiver's thread (which owns the selector)."""
        if self._thread is None:
            raise ReceiverError("the syslog fake is not running")
        done = threading.Event()
        outcome = []
        with self._lock:
            self._commands.append((function, done, outcome))
        self._command_posted.set()
        self._wakeup[1].send(b"x")
        done.wait()
        if outcome:
            raise outcome[0]

    # --- the receiver's thread -------------------------------------------------

    def _run(self):
        while not self._stopping:
            try:
                for key, _ in self._selector.select(timeout=0.5):
                    key.data(key.fileobj)
            except Exception as error:  # keep receiving; the test sees it in errors
                with self._lock:
                    self._errors.append(repr(error))
            with self._lock:
                delay = self._delay_s
            if delay and not self._stopping:
                self._command_posted.wait(delay)

    def _on_wakeup(self, sock):
        try:
            while sock.recv(4096):
                pass
        except BlockingIOError:
            pass
        self._command_posted.clear()
        with self._lock:
            commands, self._commands = self._commands, []
        for function, done, outcome in commands:
            try:
                function()
            except Exception as error:
                outcome.append(error)
            done.set()

    def _on_accept(self, listener):
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return
        connection.setblocking(False)
        stream = _Stream(connection)
        self._streams.add(stream)
        self._selector.register(connection, selectors.EVENT_READ, lambda _sock: self._on_stream(stream))

    def _on_stream(self, stream):
        try:
            data = stream.connection.recv(256 * 1024)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._end_stream(stream, at_eof=True)
            return
        with self._lock:
            self._frames.append(("tcp", data))
        stream.buffer += data
        if not self._take_frames(stream):
            self._end_stream(stream, at_eof=False)

    def _end_stream(self, stream, at_eof):
        if at_eof and stream.buffer:
            self._note_malformed("tcp", "the connection ended inside a frame", stream.buffer)
        self._streams.discard(stream)
        self._selector.unregister(stream.connection)
        try:
            stream.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        stream.connection.close()

    def _take_frames(self, stream):
        """Takes every complete frame off the buffer; False when the stream
        cannot be framed any more and must be closed."""
        buffer = stream.buffer
        while buffer:
            if buffer[:1].isdigit():
                space = buffer.find(b" ", 0, 12)
                if space < 0:
                    if len(buffer) >= 12 or not buffer.isdigit():
                        self._note_malformed("tcp", "an octet count not followed by a space", buffer[:64])
                        return False
                    break
                count = buffer[:space]
                if not count.isdigit() or count.startswith(b"0") or int(count) > self.max_message_bytes:
                    self._note_malformed("tcp", f"octet count {count[:12]!r} is not 1 to "
                                                f"{self.max_message_bytes}", buffer[:64])
                    return False
                end = space + 1 + int(count)
                if len(buffer) < end:
                    break
                self._take_message(buffer[space + 1:end], "tcp", "octet-counting")
                buffer = buffer[end:]
            elif buffer[:1] == b"<":
                newline = buffer.find(b"\n")
                if newline < 0:
                    if len(buffer) > self.max_message_bytes:
                        self._note_malformed("tcp", "a frame with no LF within the size limit", buffer[:64])
                        return False
                    break
                self._take_message(buffer[:newline], "tcp", "non-transparent")
                buffer = buffer[newline + 1:]
            else:
                self._note_malformed("tcp", f"a frame starting with {buffer[:1]!r}: neither an octet count nor '<'",
                                     buffer[:64])
                return False
        stream.buffer = buffer
        return True

    def _on_datagram(self, sock):
        transport = "unix" if sock.family == socket.AF_UNIX else "udp"
        while True:
            try:
                data = sock.recv(256 * 1024)
            except (BlockingIOError, InterruptedError):
                return
            with self._lock:
                self._frames.append((transport, data))
            self._take_message(data, transport, None)

    def _take_message(self, data, transport, framing):
        try:
            message = parse_rfc5424(data)
        except MalformedSyslog as error:
            self._note_malformed(transport, str(error), data)
            return
        message.transport, message.framing = transport, framing
        with self._lock:
            self._messages.append(message)
            self._lock.notify_all()

    def _note_malformed(self, transport, reason, raw):
        with self._lock:
            self._malformed.append(Malformed(transport, reason, bytes(raw)))
            self._lock.notify_all()
