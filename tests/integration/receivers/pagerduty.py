# SPDX-License-Identifier: Apache-2.0
"""A loopback PagerDuty Events API v2 (POST /v2/enqueue), checked against
PagerDuty's documented contract, that also keeps the incidents the events
would open, so a test can see that repeats of a finding update one incident."""

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from .base import HttpReceiver, Response

ENQUEUE_PATH = "/v2/enqueue"
ROUTING_KEY_LENGTH = 32
DEDUP_KEY_MAX = 255
SUMMARY_MAX = 1024
BODY_MAX_BYTES = 512 * 1024
ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
DEFAULT_ROUTING_KEY = "0123456789abcdef0123456789abcdef"


@dataclass
class Incident:
    dedup_key: str
    routing_key: str
    summary: str
    severity: str
    status: str = "triggered"  # then "acknowledged" or "resolved"
    events: list = field(default_factory=list)  # every event that touched it, in order

    @property
    def trigger_count(self):
        return sum(1 for event in self.events if event.get("event_action") == "trigger")


def _timestamp_problem(value):
    if not isinstance(value, str):
        return "'payload.timestamp' is not a string"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"'payload.timestamp' {value!r} is not an ISO 8601 date and time"
    return None


def event_problems(event) -> list:
    """Why the Events API would call this event invalid (empty when valid)."""
    if not isinstance(event, dict):
        return ["Event object is not a JSON object"]
    errors = []
    routing_key = event.get("routing_key")
    if not isinstance(routing_key, str) or not routing_key:
        errors.append("'routing_key' is missing or blank")
    elif len(routing_key) != ROUTING_KEY_LENGTH:
        errors.append(f"Length of 'routing_key' is incorrect (should be {ROUTING_KEY_LENGTH} characters)")
    action = event.get("event_action")
    if action not in ACTIONS:
        errors.append("'event_action' is invalid (must be one of: " + ", ".join(ACTIONS) + ")")
    dedup_key = event.get("dedup_key")
    if dedup_key is not None:
        if not isinstance(dedup_key, str):
            errors.append("'dedup_key' is not a string")
        elif len(dedup_key) > DEDUP_KEY_MAX:
            errors.append(f"Length of 'dedup_key' is too long (maximum {DEDUP_KEY_MAX} characters)")
    if action in ("acknowledge", "resolve") and not dedup_key:
        errors.append("'dedup_key' is missing or blank")
    for name in ("client", "client_url"):
        if name in event and not isinstance(event[name], str):
            errors.append(f"'{name}' is not a string")
    for name in ("links", "images"):
        if name in event and (not isinstance(event[name], list)
                              or not all(isinstance(item, dict) for item in event[name])):
            errors.append(f"'{name}' is not an array of objects")
    if "links" in event and isinstance(event["links"], list):
        if any(isinstance(link, dict) and not isinstance(link.get("href"), str) for link in event["links"]):
            errors.append("a link has no 'href'")
    if action == "trigger":
        errors.extend(_payload_problems(event.get("payload")))
    return errors


def _payload_problems(payload):
    if not isinstance(payload, dict):
        return ["'payload' is missing or not an object"]
    errors = []
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors.append("'payload.summary' is missing or blank")
    elif len(summary) > SUMMARY_MAX:
        errors.append(f"Length of 'payload.summary' is too long (maximum {SUMMARY_MAX} characters)")
    source = payload.get("source")
    if not isinstance(source, str) or not source.strip():
        errors.append("'payload.source' is missing or blank")
    if payload.get("severity") not in SEVERITIES:
        errors.append("'payload.severity' is invalid (must be one of: " + ", ".join(SEVERITIES) + ")")
    if "timestamp" in payload:
        problem = _timestamp_problem(payload["timestamp"])
        if problem:
            errors.append(problem)
    for name in ("component", "group", "class"):
        if name in payload and not isinstance(payload[name], str):
            errors.append(f"'payload.{name}' is not a string")
    if "custom_details" in payload and not isinstance(payload["custom_details"], dict):
        errors.append("'payload.custom_details' is not an object")
    return errors


class PagerDutyReceiver(HttpReceiver):
    """`accepted`: every valid event. `incidents`: what they opened, in order;
    `incident(dedup_key)`: the latest one with that key. With
    `events_per_minute`, each routing key is limited like the real service
    (about 120 a minute); by default there is no automatic limit."""

    service = "PagerDuty"

    def __init__(self, tls=True, events_per_minute=None):
        super().__init__(tls)
        self.events_per_minute = events_per_minute
        self._incidents = []
        self._open = {}  # dedup_key -> the open Incident
        self._recent = {}  # routing_key -> deque of monotonic times
        self._incident_lock = threading.Lock()

    @property
    def enqueue_url(self):
        return self.url + ENQUEUE_PATH

    @property
    def incidents(self):
        with self._incident_lock:
            return list(self._incidents)

    def incident(self, dedup_key):
        with self._incident_lock:
            for incident in reversed(self._incidents):
                if incident.dedup_key == dedup_key:
                    return incident
        return None

    # --- answers ----------------------------------------------------------------

    @staticmethod
    def _invalid(errors):
        return Response.json(400, {"status": "invalid event", "message": "Event object is invalid",
                                   "errors": errors})

    @staticmethod
    def _throttled(headers=()):
        return Response.json(429, {"status": "throttle event",
                                   "message": "Requests for this service are arriving too quickly. "
                                              "Please retry later."}, headers)

    def error_response(self, request, status, headers):
        if status == 429:
            return self._throttled(headers)
        if status == 400:
            return self._invalid(["Event object is invalid"])
        return Response.json(status, {"status": "error", "message": "Internal server error"}, headers)

    def handle(self, request):
        if request.path != ENQUEUE_PATH or request.method != "POST":
            return self.reject(request, Response.json(404, {"status": "not found", "message": "Not Found"}),
                               f"no such endpoint: {request.method} {request.path}")
        if len(request.body) > BODY_MAX_BYTES:
            why = f"the event is {len(request.body)} bytes, over {BODY_MAX_BYTES}"
            return self.reject(request, self._invalid([why]), why)
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            why = f"Content-Type {content_type or '(none)'} is not application/json"
            return self.reject(request, self._invalid([why]), why)
        try:
            event = json.loads(request.body)
        except ValueError:
            return self.reject(request, self._invalid(["Event object is not valid JSON"]), "body is not JSON")
        errors = event_problems(event)
        if errors:
            return self.reject(request, self._invalid(errors), "; ".join(errors))
        if self._over_limit(event["routing_key"]):
            return self.reject(request, self._throttled(), "over the per-key rate limit")
        dedup_key = event.get("dedup_key") or uuid.uuid4().hex
        self._track(event, dedup_key)
        self.accept([event])
        return Response.json(202, {"status": "success", "message": "Event processed", "dedup_key": dedup_key})

    def _over_limit(self, routing_key):
        if self.events_per_minute is None:
            return False
        now = time.monotonic()
        with self._incident_lock:
            recent = self._recent.setdefault(routing_key, deque())
            while recent and recent[0] < now - 60:
                recent.popleft()
            if len(recent) >= self.events_per_minute:
                return True
            recent.append(now)
        return False

    def _track(self, event, dedup_key):
        action = event["event_action"]
        with self._incident_lock:
            incident = self._open.get(dedup_key)
            if action == "trigger":
                if incident is None:
                    payload = event["payload"]
                    incident = Incident(dedup_key, event["routing_key"], payload["summary"], payload["severity"])
                    self._incidents.append(incident)
                    self._open[dedup_key] = incident
                incident.events.append(event)
            elif incident is not None:
                # An acknowledge or resolve for no open incident is accepted and does nothing.
                incident.events.append(event)
                incident.status = "acknowledged" if action == "acknowledge" else "resolved"
                if action == "resolve":
                    del self._open[dedup_key]
