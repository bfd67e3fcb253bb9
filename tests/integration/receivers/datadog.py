# SPDX-License-Identifier: Apache-2.0
"""A loopback Datadog: the Events API (POST /api/v1/events) and the Logs
intake (POST /api/v2/logs), checked against Datadog's documented contract.

The real service has them on two hosts (api.<site>, http-intake.logs.<site>);
here one server answers both paths, so point both URLs at `url`.
"""

import json
import time
import uuid

from .base import HttpReceiver, Response, decode_content, seconds_text

EVENTS_PATH = "/api/v1/events"
LOGS_PATH = "/api/v2/logs"
DEFAULT_API_KEY = "0123456789abcdef0123456789abcdef"

EVENT_TEXT_MAX = 4000
EVENT_AGGREGATION_KEY_MAX = 100
EVENT_MAX_AGE_S = 18 * 3600
ALERT_TYPES = ("error", "warning", "info", "success")
PRIORITIES = ("normal", "low")

# Decimal megabytes: the stricter reading of the documented "5 MB" and "1 MB".
LOGS_REQUEST_MAX_BYTES = 5_000_000
LOGS_ENTRY_MAX_BYTES = 1_000_000
LOGS_ENTRIES_MAX = 1000

_STATUS_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                  408: "Request Timeout", 413: "Request Entity Too Large", 429: "Too Many Requests",
                  500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _event_problem(event, now):
    """Why the Events API would refuse this body, or None."""
    if not isinstance(event, dict):
        return "the body is not a JSON object"
    title = event.get("title")
    if not isinstance(title, str) or not title:
        return "'title' is missing or not a non-empty string"
    text = event.get("text")
    if not isinstance(text, str):
        return "'text' is missing or not a string"
    if len(text) > EVENT_TEXT_MAX:
        return f"'text' is {len(text)} characters, over {EVENT_TEXT_MAX}"
    if "alert_type" in event and event["alert_type"] not in ALERT_TYPES:
        return f"'alert_type' {event['alert_type']!r} is not one of {', '.join(ALERT_TYPES)}"
    if "priority" in event and event["priority"] is not None and event["priority"] not in PRIORITIES:
        return f"'priority' {event['priority']!r} is not one of {', '.join(PRIORITIES)}"
    if "aggregation_key" in event:
        key = event["aggregation_key"]
        if not isinstance(key, str):
            return "'aggregation_key' is not a string"
        if len(key) > EVENT_AGGREGATION_KEY_MAX:
            return f"'aggregation_key' is {len(key)} characters, over {EVENT_AGGREGATION_KEY_MAX}"
    for name in ("source_type_name", "host"):
        if name in event and not isinstance(event[name], str):
            return f"'{name}' is not a string"
    if "tags" in event:
        tags = event["tags"]
        if not isinstance(tags, list):
            return "'tags' is not an array"
        for tag in tags:
            if not isinstance(tag, str) or ":" not in tag or tag.startswith(":"):
                return f"tag {tag!r} is not a key:value string"
    if "date_happened" in event:
        happened = event["date_happened"]
        if not isinstance(happened, int) or isinstance(happened, bool):
            return "'date_happened' is not an integer (epoch seconds)"
        if happened < now - EVENT_MAX_AGE_S:
            return f"'date_happened' {happened} is more than 18 hours in the past"
    return None


def _log_entry_problem(entry):
    if not isinstance(entry, dict):
        return "an entry is not a JSON object"
    if "message" not in entry:
        return "an entry has no 'message'"
    for name in ("ddsource", "ddtags", "hostname", "service"):
        if name in entry and not isinstance(entry[name], str):
            return f"'{name}' of an entry is not a string"
    return None


class DatadogReceiver(HttpReceiver):
    """Collections: `events` (Events API bodies) and `logs` (log entries);
    `accepted` holds both in order of arrival. `truncated` lists log entries
    over 1 MB, which the real intake accepts and cuts short."""

    service = "Datadog"
    rate_limit_header = "X-RateLimit-Reset"

    def __init__(self, api_key=DEFAULT_API_KEY, tls=True, clock=time.time):
        super().__init__(tls)
        self.api_key = api_key
        self._clock = clock

    @property
    def events_url(self):
        return self.url + EVENTS_PATH

    @property
    def logs_url(self):
        return self.url + LOGS_PATH

    @property
    def events(self):
        return self.collection("events")

    @property
    def logs(self):
        return self.collection("logs")

    @property
    def truncated(self):
        return self.collection("truncated")

    def wait_for_events(self, count, timeout=10.0):
        return self.wait_for(count, timeout, "events")

    def wait_for_logs(self, count, timeout=10.0):
        return self.wait_for(count, timeout, "logs")

    # --- answers ----------------------------------------------------------------

    def _events_error(self, status, message, headers=()):
        # The v1 API answers errors as {"errors": ["..."]}.
        return Response.json(status, {"errors": [message]}, headers)

    def _logs_error(self, status, detail, headers=()):
        # The v2 intake answers errors in the JSON:API shape.
        title = _STATUS_TITLES.get(status, "Error")
        return Response.json(status, {"errors": [{"status": str(status), "title": title, "detail": detail}]},
                             headers)

    def error_response(self, request, status, headers):
        message = "Rate limit exceeded" if status == 429 else _STATUS_TITLES.get(status, "Error")
        if request.path == LOGS_PATH:
            return self._logs_error(status, message, headers)
        return self._events_error(status, message, headers)

    def rate_limit_headers(self, retry_after):
        return [("X-RateLimit-Limit", "1000"), ("X-RateLimit-Period", "60"),
                ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", seconds_text(retry_after)),
                ("X-RateLimit-Name", "events_submission")]

    def handle(self, request):
        if request.path == EVENTS_PATH and request.method == "POST":
            return self._handle_event(request)
        if request.path == LOGS_PATH and request.method == "POST":
            return self._handle_logs(request)
        return self.reject(request, self._events_error(404, "Not found"),
                           f"no such endpoint: {request.method} {request.path}")

    def _handle_event(self, request):
        key = request.header("DD-API-KEY")
        if key != self.api_key:
            why = "no DD-API-KEY header" if key is None else "wrong DD-API-KEY"
            return self.reject(request, self._events_error(403, "Forbidden"), why)
        try:
            body = decode_content(request.body, request.header("Content-Encoding"), LOGS_REQUEST_MAX_BYTES)
            event = json.loads(body)
        except (ValueError, OverflowError) as error:
            return self.reject(request, self._events_error(400, "Invalid JSON"), f"body: {error}")
        problem = _event_problem(event, self._clock())
        if problem:
            return self.reject(request, self._events_error(400, problem), problem)
        self.accept([event], "events")
        event_id = uuid.uuid4().int >> 66
        echo = {name: event.get(name) for name in ("title", "text", "date_happened", "priority", "tags")}
        echo.update({"id": event_id, "id_str": str(event_id), "handle": None, "related_event_id": None,
                     "url": f"https://app.datadoghq.com/event/event?id={event_id}"})
        return Response.json(202, {"status": "ok", "event": echo})

    def _handle_logs(self, request):
        key = request.header("DD-API-KEY")
        if key is None:
            return self.reject(request, self._logs_error(401, "API key is missing"), "no DD-API-KEY header")
        if key != self.api_key:
            return self.reject(request, self._logs_error(403, "Forbidden"), "wrong DD-API-KEY")
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            why = f"Content-Type {content_type or '(none)'} is not application/json"
            return self.reject(request, self._logs_error(400, why), why)
        try:
            body = decode_content(request.body, request.header("Content-Encoding"), LOGS_REQUEST_MAX_BYTES)
        except OverflowError:
            why = f"over {LOGS_REQUEST_MAX_BYTES} bytes uncompressed"
            return self.reject(request, self._logs_error(413, "Payload too large"), why)
        except ValueError as error:
            return self.reject(request, self._logs_error(400, str(error)), str(error))
        try:
            entries = json.loads(body)
        except ValueError as error:
            return self.reject(request, self._logs_error(400, "Malformed JSON"), f"body is not JSON: {error}")
        if not isinstance(entries, list):
            why = "the body is not a JSON array"
            return self.reject(request, self._logs_error(400, why), why)
        if len(entries) > LOGS_ENTRIES_MAX:
            why = f"{len(entries)} entries, over {LOGS_ENTRIES_MAX}"
            return self.reject(request, self._logs_error(413, "Payload too large: " + why), why)
        for entry in entries:
            problem = _log_entry_problem(entry)
            if problem:
                return self.reject(request, self._logs_error(400, problem), problem)
        oversized = [entry for entry in entries
                     if len(json.dumps(entry, separators=(",", ":")).encode()) > LOGS_ENTRY_MAX_BYTES]
        if oversized:
            self.add_to("truncated", oversized)
        self.accept(entries, "logs")
        return Response.json(202, {})
