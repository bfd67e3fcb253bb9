# SPDX-License-Identifier: Apache-2.0
"""A loopback Splunk HTTP Event Collector: events, indexer acknowledgement and
health, checked against the collector's documented contract. Every answer is
{"text", "code"} with the collector's own texts and codes."""

import json
import threading
import time
import uuid

from .base import HttpReceiver, Response, decode_content

EVENT_PATH = "/services/collector/event"
ACK_PATH = "/services/collector/ack"
HEALTH_PATH = "/services/collector/health"
DEFAULT_TOKEN = "11111111-2222-3333-4444-555555555555"
MAX_REQUEST_BYTES = 64 * 1024 * 1024

# code -> (HTTP status, text)
CODES = {
    0: (200, "Success"),
    1: (403, "Token disabled"),
    2: (401, "Token is required"),
    3: (401, "Invalid authorization"),
    4: (403, "Invalid token"),
    5: (400, "No data"),
    6: (400, "Invalid data format"),
    7: (400, "Incorrect index"),
    8: (500, "Internal server error"),
    9: (503, "Server is busy"),
    10: (400, "Data channel is missing"),
    11: (400, "Invalid data channel"),
    12: (400, "Event field is required"),
    13: (400, "Event field cannot be blank"),
    14: (400, "ACK is disabled"),
    15: (400, "Error in handling indexed fields"),
    17: (200, "HEC is healthy"),
    18: (503, "HEC is unhealthy, queues are full"),
    19: (503, "HEC is unhealthy, ack service unavailable"),
}
# The code an injected failure of a given HTTP status answers with.
_FAULT_CODES = {400: 6, 401: 2, 403: 4, 500: 8, 503: 9, 429: 9}
_NUMBERED = (6, 12, 13, 15)  # codes that name the failing event of a batch


def answer(code, headers=(), **extra):
    status, text = CODES[code]
    return Response.json(status, {"text": text, "code": code, **extra}, headers)


class _Invalid(Exception):
    def __init__(self, code, why, number=None):
        super().__init__(why)
        self.code, self.why, self.number = code, why, number


def parse_batch(text):
    """Concatenated JSON objects (whitespace between them allowed, no array,
    no commas) -> list of values; raises _Invalid(6) naming the bad one."""
    decoder = json.JSONDecoder()
    values = []
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position == len(text):
            return values
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError as error:
            raise _Invalid(6, f"event {len(values)} is not JSON: {error}", len(values)) from None
        values.append(value)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_flat_field(value):
    flat = (str, int, float)
    return isinstance(value, flat) or (isinstance(value, list) and all(isinstance(v, flat) for v in value))


def _check_event(event, number, indexes):
    if not isinstance(event, dict):
        raise _Invalid(6, f"event {number} is not a JSON object", number)
    if "event" not in event:
        raise _Invalid(12, f"event {number} has no 'event' field", number)
    if event["event"] is None or event["event"] == "":
        raise _Invalid(13, f"event {number} has a blank 'event' field", number)
    if "time" in event and not _is_number(event["time"]):
        raise _Invalid(6, f"event {number}: 'time' {event['time']!r} is not a number", number)
    for name in ("host", "source", "sourcetype", "index"):
        if name in event and not isinstance(event[name], str):
            raise _Invalid(6, f"event {number}: '{name}' is not a string", number)
    if "index" in event and indexes is not None and event["index"] not in indexes:
        raise _Invalid(7, f"event {number}: index {event['index']!r} is not allowed for the token")
    if "fields" in event:
        fields = event["fields"]
        if not isinstance(fields, dict) or not all(_is_flat_field(v) for v in fields.values()):
            raise _Invalid(15, f"event {number}: 'fields' is not an object of flat values", number)


class SplunkHecReceiver(HttpReceiver):
    """`accepted`: the event objects (with time, host, ... around `event`)
    the collector took. With `ack=True`, answers carry an ackId and
    collection "acknowledged" gets the events of each ackId once it has been
    reported true. `indexes` are the indexes the token may write to (None: any)."""

    service = "Splunk HEC"

    def __init__(self, token=DEFAULT_TOKEN, ack=False, indexes=("main",), disabled_tokens=(), tls=True):
        super().__init__(tls)
        self.token = token
        self.ack_enabled = ack
        self.indexes = None if indexes is None else set(indexes)
        self.disabled_tokens = set(disabled_tokens)
        self._next_ack = {}  # channel -> next ackId
        self._pending_acks = {}  # (channel, ackId) -> events
        self._acks_held_until = 0.0
        self._health_code = 17
        self._ack_lock = threading.Lock()

    @property
    def event_url(self):
        return self.url + EVENT_PATH

    @property
    def acknowledged(self):
        return self.collection("acknowledged")

    def wait_for_acknowledged(self, count, timeout=10.0):
        return self.wait_for(count, timeout, "acknowledged")

    # --- controls ---------------------------------------------------------------

    def hold_acks(self, seconds=None):
        """Answers every ack query with false, for `seconds` or until release_acks()."""
        with self._ack_lock:
            self._acks_held_until = float("inf") if seconds is None else time.monotonic() + seconds

    def release_acks(self):
        with self._ack_lock:
            self._acks_held_until = 0.0

    @property
    def pending_acks(self):
        """ackIds issued and not yet reported true, as (channel, ackId)."""
        with self._ack_lock:
            return sorted(self._pending_acks)

    def unhealthy(self, code=9):
        """Health answers 503 with `code` (9 by default; the collector also
        uses 18 and 19), and so does the event endpoint, as a full queue does."""
        if CODES.get(code, (None,))[0] != 503:
            raise ValueError(f"code {code} is not one the collector answers 503 with")
        with self._ack_lock:
            self._health_code = code

    def healthy(self):
        with self._ack_lock:
            self._health_code = 17

    # --- answers ----------------------------------------------------------------

    def error_response(self, request, status, headers):
        code = _FAULT_CODES.get(status)
        if code is None:
            return Response.json(status, {"text": "Injected failure", "code": status}, headers)
        return Response.json(status, {"text": CODES[code][1], "code": code}, headers)

    def _refuse(self, request, code, why, number=None, headers=()):
        extra = {"invalid-event-number": number} if code in _NUMBERED and number is not None else {}
        return self.reject(request, answer(code, headers, **extra), f"code {code}: {why}")

    def handle(self, request):
        path = request.path.rstrip("/")
        if path in (HEALTH_PATH, HEALTH_PATH + "/1.0") and request.method == "GET":
            with self._ack_lock:
                code = self._health_code
            if code == 17:
                return answer(17)
            return self.reject(request, answer(code), f"unhealthy (code {code})")
        if path in (EVENT_PATH, ACK_PATH) and request.method == "POST":
            problem = self._auth_problem(request)
            if problem:
                return self._refuse(request, *problem)
            channel, problem = self._channel(request, required=self.ack_enabled or path == ACK_PATH)
            if path == ACK_PATH and not self.ack_enabled:
                return self._refuse(request, 14, "acknowledgement is off for the token")
            if problem:
                return self._refuse(request, *problem)
            if path == ACK_PATH:
                return self._handle_ack(request, channel)
            return self._handle_events(request, channel)
        return self.reject(request, Response.json(404, {"text": "The requested URL was not found on this server.",
                                                        "code": 404}),
                           f"no such endpoint: {request.method} {request.path}")

    def _auth_problem(self, request):
        authorization = request.header("Authorization")
        if authorization is None:
            return 2, "no Authorization header"
        scheme, _, token = authorization.partition(" ")
        if scheme != "Splunk" or not token.strip():
            return 3, f"Authorization is not 'Splunk <token>': {authorization[:40]!r}"
        token = token.strip()
        if token in self.disabled_tokens:
            return 1, "the token is disabled"
        if token != self.token:
            return 4, "unknown token"
        return None

    @staticmethod
    def _channel(request, required):
        channel = request.header("X-Splunk-Request-Channel") or (request.query.get("channel") or [None])[0]
        if channel is None:
            return None, ((10, "no X-Splunk-Request-Channel header") if required else None)
        try:
            uuid.UUID(channel)
        except ValueError:
            return None, (11, f"channel {channel!r} is not a UUID")
        return channel, None

    def _handle_events(self, request, channel):
        with self._ack_lock:
            busy = self._health_code != 17
        if busy:
            return self._refuse(request, 9, "told to be unhealthy")
        try:
            text = decode_content(request.body, request.header("Content-Encoding"), MAX_REQUEST_BYTES).decode("utf-8")
        except (ValueError, OverflowError) as error:
            return self._refuse(request, 6, f"body: {error}")
        if not text.strip():
            return self._refuse(request, 5, "empty body")
        taken = []
        try:
            for number, event in enumerate(parse_batch(text)):
                _check_event(event, number, self.indexes)
                taken.append(event)
        except _Invalid as invalid:
            # The collector indexes the events before the bad one, not the rest.
            self.accept(taken)
            return self._refuse(request, invalid.code, invalid.why, invalid.number)
        self.accept(taken)
        if not self.ack_enabled:
            return answer(0)
        with self._ack_lock:
            ack_id = self._next_ack.get(channel, 0)
            self._next_ack[channel] = ack_id + 1
            self._pending_acks[(channel, ack_id)] = taken
        return answer(0, ackId=ack_id)

    def _handle_ack(self, request, channel):
        try:
            query = json.loads(request.body or b"null")
        except ValueError:
            return self._refuse(request, 6, "ack body is not JSON")
        if query is None:
            return self._refuse(request, 5, "empty ack body")
        ids = query.get("acks") if isinstance(query, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            return self._refuse(request, 6, "ack body is not {\"acks\": [ids]}")
        statuses = {}
        delivered = []
        with self._ack_lock:
            held = time.monotonic() < self._acks_held_until
            for ack_id in ids:
                key = (channel, ack_id)
                done = not held and key in self._pending_acks
                if done:
                    # Reported true once; asked again it is false, as on the collector.
                    delivered.extend(self._pending_acks.pop(key))
                statuses[str(ack_id)] = done
        if delivered:
            self.add_to("acknowledged", delivered)
        return Response.json(200, {"acks": statuses})
