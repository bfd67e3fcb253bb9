# SPDX-License-Identifier: Apache-2.0
"""A generic HTTP receiver of alerts in the common JSON alert shape:

  {"time": "<RFC 3339>", "rule": "...", "priority": "<one of PRIORITIES>",
   "source": "...", "hostname": "...", "output": "...",
   "tags": ["..."], "output_fields": {...}}

POST to `path` (default "/") with Content-Type application/json; the body is
one alert, or an array of alerts. 200 with an empty body on success; 400
{"error": "..."} for a broken alert; with `token` set, 401 unless the request
carries `Authorization: Bearer <token>`.
"""

import json
import re
from datetime import datetime

from .base import HttpReceiver, Response

PRIORITIES = ("Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug")
FIELDS = {"time": str, "rule": str, "priority": str, "source": str, "hostname": str, "output": str,
          "tags": list, "output_fields": dict}
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def is_rfc3339(text):
    if not _RFC3339.fullmatch(text):
        return False
    try:
        # Nanosecond fractions are common in this shape; datetime keeps six digits.
        datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text.upper().replace("Z", "+00:00")))
    except ValueError:
        return False
    return True


def alert_problem(alert):
    """Why an alert does not have the common JSON alert shape, or None."""
    if not isinstance(alert, dict):
        return "an alert is not a JSON object"
    for name, kind in FIELDS.items():
        if name not in alert:
            return f"'{name}' is missing"
        if not isinstance(alert[name], kind):
            return f"'{name}' is not a {kind.__name__}"
    if not is_rfc3339(alert["time"]):
        return f"'time' {alert['time']!r} is not an RFC 3339 date and time"
    if not alert["rule"]:
        return "'rule' is empty"
    if alert["priority"] not in PRIORITIES:
        return f"'priority' {alert['priority']!r} is not one of {', '.join(PRIORITIES)}"
    if not all(isinstance(tag, str) for tag in alert["tags"]):
        return "'tags' holds something other than strings"
    return None


class HttpJsonReceiver(HttpReceiver):
    """`accepted`: every alert received, in order."""

    service = "HTTP JSON"

    def __init__(self, path="/", token=None, tls=True):
        super().__init__(tls)
        self.path = path
        self.token = token

    @property
    def endpoint_url(self):
        return self.url + self.path

    def error_response(self, request, status, headers):
        return Response.json(status, {"error": f"injected failure {status}"}, headers)

    def _error(self, request, status, why):
        return self.reject(request, Response.json(status, {"error": why}), why)

    def handle(self, request):
        if request.path != self.path or request.method != "POST":
            return self._error(request, 404, f"no such endpoint: {request.method} {request.path}")
        if self.token is not None and request.header("Authorization") != f"Bearer {self.token}":
            return self._error(request, 401, "missing or wrong bearer token")
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return self._error(request, 400, f"Content-Type {content_type or '(none)'} is not application/json")
        try:
            body = json.loads(request.body)
        except ValueError as error:
            return self._error(request, 400, f"body is not JSON: {error}")
        alerts = body if isinstance(body, list) else [body]
        if not alerts:
            return self._error(request, 400, "an empty array")
        for alert in alerts:
            problem = alert_problem(alert)
            if problem:
                return self._error(request, 400, problem)
        self.accept(alerts)
        return Response(200, b"", "text/plain")
