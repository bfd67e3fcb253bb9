# SPDX-License-Identifier: Apache-2.0
"""A loopback Slack incoming webhook, checked against Slack's documented
contract. Answers are short text bodies, as Slack's are:
`ok`, or an error name such as `invalid_payload`."""

import json
import secrets
import threading
import time
from collections import deque

from .base import HttpReceiver, Response

# Body of an injected failure, by status.
ERROR_NAMES = {
    400: "invalid_payload",
    403: "invalid_token",
    404: "channel_not_found",
    410: "channel_is_archived",
    429: "rate_limited",
    500: "rollup_error",
    503: "service_unavailable",
}


def message_problem(message):
    """(error name, why) when Slack would refuse this message, else None."""
    if not isinstance(message, dict):
        return "invalid_payload", "the body is not a JSON object"
    text, blocks = message.get("text"), message.get("blocks")
    if text is not None and not isinstance(text, str):
        return "invalid_payload", "'text' is not a string"
    if blocks is not None:
        if not isinstance(blocks, list):
            return "invalid_blocks", "'blocks' is not an array"
        for block in blocks:
            if not isinstance(block, dict) or not isinstance(block.get("type"), str):
                return "invalid_blocks", "a block is not an object with a 'type'"
    if not text and not blocks:
        return "no_text", "neither 'text' nor 'blocks'"
    return None


class SlackReceiver(HttpReceiver):
    """`accepted`: every message posted to the webhook. `webhook_url` is the
    URL to configure; any other path answers 404 `no_service`. With
    `messages_per_second`, a burst over it gets 429 like the real limit
    (about one a second); by default there is no automatic limit."""

    service = "Slack"

    def __init__(self, tls=True, messages_per_second=None):
        super().__init__(tls)
        self.webhook_path = "/services/T0VIGILTST/B0VIGILTST/" + secrets.token_hex(12)
        self.messages_per_second = messages_per_second
        self._recent = deque()
        self._limit_lock = threading.Lock()

    @property
    def webhook_url(self):
        return self.url + self.webhook_path

    def error_response(self, request, status, headers):
        return Response.text(status, ERROR_NAMES.get(status, "error"), headers, "text/html")

    def handle(self, request):
        if request.path != self.webhook_path or request.method != "POST":
            return self.reject(request, Response.text(404, "no_service", content_type="text/html"),
                               f"no webhook at {request.method} {request.path}")
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return self.reject(request, Response.text(400, "invalid_payload", content_type="text/html"),
                               f"Content-Type {content_type or '(none)'} is not application/json")
        try:
            message = json.loads(request.body)
        except ValueError:
            return self.reject(request, Response.text(400, "invalid_payload", content_type="text/html"),
                               "body is not JSON")
        problem = message_problem(message)
        if problem:
            name, why = problem
            return self.reject(request, Response.text(400, name, content_type="text/html"), why)
        if self._over_limit():
            return self.reject(request, Response.text(429, "rate_limited", [("Retry-After", "1")], "text/html"),
                               "over the per-webhook rate limit")
        self.accept([message])
        return Response.text(200, "ok", content_type="text/html")

    def _over_limit(self):
        if self.messages_per_second is None:
            return False
        now = time.monotonic()
        with self._limit_lock:
            while self._recent and self._recent[0] < now - 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.messages_per_second:
                return True
            self._recent.append(now)
        return False
