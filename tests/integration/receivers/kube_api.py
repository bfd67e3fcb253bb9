# SPDX-License-Identifier: Apache-2.0
"""A fake Kubernetes API server (HTTPS on 127.0.0.1) for the pod metadata
tests: the endpoints the sensor's pod watcher uses, checked against the API's
contract, answering the way the real server does.

    with KubeApiReceiver(node_name="node-1") as api:
        api.add_pod(pod_object(...))            # before or while the sensor watches
        config = {"api_server": api.url, "token_file": api.token_file, "ca_file": api.ca_file}

Served:
- `GET /api/v1/pods?fieldSelector=spec.nodeName=<node>`: a PodList
  `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion"},"items"}`
  of the pods on that node. Any other fieldSelector: 400 (a sensor must not
  list the cluster's pods). `limit=<n>` (a non-negative integer, else
  400) returns at most n items, with `metadata.continue` and
  `remainingItemCount` when more are left, as a paged list does.
- The same with `watch=1` (or `true`) and `resourceVersion=<rv>`: a chunked
  stream of `{"type","object"}` lines, one per change after rv (ADDED,
  MODIFIED, DELETED), and BOOKMARK events (only with
  `allowWatchBookmarks=true`) every `bookmark_interval` seconds. A
  resourceVersion older than the oldest change kept (`compact()`) is answered
  as the server does: 200 and one ERROR event with a Status of code 410
  (Expired), then the end of the stream. `timeoutSeconds` ends the stream.
- `GET /apis/apps/v1/namespaces/<ns>/replicasets/<name>` and
  `/apis/batch/v1/namespaces/<ns>/jobs/<name>`: objects from `add_owner()`,
  else 404 with a Status.
- Every request needs `Authorization: Bearer <token>` (401 Status
  otherwise); the token is read from `token_file` at each request, so a test
  can rotate it, or hand the sensor `wrong_token_file()` to be refused.
- `deny(*resources)` takes the permission to pods, replicasets or jobs away
  from the token: 403 with the Status the API's RBAC check gives ("pods is
  forbidden: User ... cannot list resource ..."), for every verb.

Failures on demand: `expire_watches()` (the next watch gets the 410 ERROR
event), `gone_next_watch()` (answered with HTTP 410 instead),
`drop_streams()` (cuts every open watch mid-stream, without the final chunk),
`refuse_watches(count)` (503 for the next watches).
Record: `requests` (method, path, query, status), `count(path)`,
`watch_count`, `list_count`, `sent` (type, uid, time.monotonic() when
written), `errors`.
"""

import json
import secrets
import socket
import ssl
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .tls import make_tls_files

HOST = "127.0.0.1"
# Who the fake's token belongs to, for the messages of 403 answers.
USER = "system:serviceaccount:vigil:vigil"


def status_object(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def pod_object(name, namespace, uid, node, container_ids=(), service_account="default", labels=None,
               owner=None, runtime="containerd", images=None):
    """A pod as the API serves it. owner: (kind, name) of its controller.
    images: per container, (image, imageID); the default is "registry.test/c<index>:1" and its digest."""
    metadata = {"name": name, "namespace": namespace, "uid": uid, "labels": dict(labels or {})}
    if owner:
        api_version = "batch/v1" if owner[0] == "Job" else "apps/v1"
        metadata["ownerReferences"] = [{"apiVersion": api_version, "kind": owner[0], "name": owner[1],
                                        "uid": secrets.token_hex(8), "controller": True,
                                        "blockOwnerDeletion": True}]
    return {"kind": "Pod", "apiVersion": "v1", "metadata": metadata,
            "spec": {"nodeName": node, "serviceAccountName": service_account, "containers": []},
            "status": {"phase": "Running",
                       "containerStatuses": [{"name": f"c{index}", "containerID": f"{runtime}://{cid}",
                                              "image": image_of(index, images)[0],
                                              "imageID": image_of(index, images)[1], "ready": True}
                                             for index, cid in enumerate(container_ids)]}}


def image_of(index, images):
    """pod_object's image and imageID of container @index."""
    if images and index < len(images):
        return images[index]
    return f"registry.test/c{index}:1", f"registry.test/c{index}@sha256:{index:064x}"


class KubeApiReceiver:
    service = "Kubernetes API"

    def __init__(self, node_name, tls_files=None, bookmark_interval=1.0):
        self.node_name = node_name
        self.bookmark_interval = bookmark_interval
        self._tls = tls_files
        self._own_tls = tls_files is None
        self._lock = threading.Condition()
        self._pods = {}           # uid -> pod object
        self._changes = []        # (rv, type, object)
        self._oldest_kept = 0     # changes before this rv are compacted away
        self._rv = 1000
        self._owners = {}         # path -> object
        self._expire_next = False
        self._gone_http = False
        self._refuse_watches = 0
        self._denied = set()      # resources the token may not use
        self._drop_generation = 0
        self._closing = False
        self.requests = []
        self.sent = []
        self.errors = []
        self.watch_count = 0
        self.list_count = 0
        self.token = secrets.token_hex(16)
        self._server = None
        self._thread = None

    # --- life -------------------------------------------------------------

    def start(self):
        if self._tls is None:
            self._tls = make_tls_files()
        self.token_file = Path(self._tls.directory) / f"token-{secrets.token_hex(4)}"
        self.token_file.write_text(self.token + "\n")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self._tls.cert_file), str(self._tls.key_file))
        receiver = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def get_request(self):
                sock, address = super().get_request()
                return context.wrap_socket(sock, server_side=True), address

            def handle_error(self, request, client_address):
                pass  # a client that went away, or a TLS handshake that failed

        class Handler(_Handler):
            fake = receiver

        self._server = Server((HOST, 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._own_tls and self._tls is not None:
            import shutil
            shutil.rmtree(self._tls.directory, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        return f"https://{HOST}:{self.port}"

    @property
    def ca_file(self):
        return str(self._tls.ca_file)

    # --- the cluster's state ------------------------------------------------

    def _change(self, kind, pod):
        with self._lock:
            self._rv += 1
            pod = json.loads(json.dumps(pod))
            pod["metadata"]["resourceVersion"] = str(self._rv)
            uid = pod["metadata"]["uid"]
            if kind == "DELETED":
                self._pods.pop(uid, None)
            else:
                self._pods[uid] = pod
            self._changes.append((self._rv, kind, pod))
            self._lock.notify_all()

    def add_pod(self, pod):
        self._change("ADDED", pod)

    def modify_pod(self, pod):
        self._change("MODIFIED", pod)

    def delete_pod(self, pod):
        self._change("DELETED", pod)

    def add_owner(self, kind, namespace, name, controller=None):
        """A ReplicaSet or Job; controller: (kind, name) of its Deployment or CronJob."""
        group = {"ReplicaSet": ("apps/v1", "replicasets"), "Job": ("batch/v1", "jobs")}[kind]
        metadata = {"name": name, "namespace": namespace, "uid": secrets.token_hex(8)}
        if controller:
            metadata["ownerReferences"] = [{"apiVersion": "apps/v1" if kind == "ReplicaSet" else "batch/v1",
                                            "kind": controller[0], "name": controller[1], "controller": True}]
        path = f"/apis/{group[0]}/namespaces/{namespace}/{group[1]}/{name}"
        with self._lock:
            self._owners[path] = {"kind": kind, "apiVersion": group[0], "metadata": metadata}

    # --- failures -----------------------------------------------------------

    def expire_watches(self):
        """Compacts the history: the next watch (and every open one, once it
        ends) resumes from a resourceVersion that is gone, and gets the 410
        ERROR event."""
        with self._lock:
            self._oldest_kept = self._rv + 1
            self._expire_next = True
            self._drop_generation += 1
            self._lock.notify_all()

    def gone_next_watch(self):
        with self._lock:
            self._gone_http = True

    def drop_streams(self):
        with self._lock:
            self._drop_generation += 1
            self._lock.notify_all()

    def refuse_watches(self, count):
        with self._lock:
            self._refuse_watches = count

    def deny(self, *resources):
        """RBAC without these resources ("pods", "replicasets", "jobs") for the token."""
        with self._lock:
            self._denied.update(resources)

    def wrong_token_file(self):
        """A token file whose token the fake does not accept."""
        path = Path(self._tls.directory) / f"wrong-token-{secrets.token_hex(4)}"
        path.write_text(secrets.token_hex(16) + "\n")
        return path

    def count(self, path, status=None):
        """How many requests were made for path (with that answer, if given)."""
        with self._lock:
            return sum(1 for request in self.requests
                       if request[1] == path and (status is None or request[3] == status))

    def sent_count(self, kind, uid):
        with self._lock:
            return sum(1 for entry in self.sent if entry[0] == kind and entry[1] == uid)

    def sent_time(self, kind, uid):
        with self._lock:
            for entry in self.sent:
                if entry[0] == kind and entry[1] == uid:
                    return entry[2]
        return None

    def wait_for_watches(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.watch_count < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.watch_count} watches, expected {count}; requests: "
                                         f"{self.requests[-10:]}")
                self._lock.wait(left)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None

    def log_message(self, format, *args):
        pass

    def _json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _record(self, split, query, status):
        with self.fake._lock:
            self.fake.requests.append((self.command, split.path, query, status))
            self.fake._lock.notify_all()

    def do_GET(self):
        fake = self.fake
        split = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        try:
            token = fake.token_file.read_text().strip()
            if self.headers.get("Authorization") != f"Bearer {token}":
                self._record(split, query, 401)
                return self._json(401, status_object(401, "Unauthorized", "Unauthorized"))
            denied = self._forbidden(split.path, query)
            if denied:
                self._record(split, query, 403)
                return self._json(403, denied)
            if split.path == "/api/v1/pods":
                return self._pods(split, query)
            with fake._lock:
                owner = fake._owners.get(split.path)
            if owner is None:
                self._record(split, query, 404)
                return self._json(404, status_object(404, "NotFound", f"{split.path} not found"))
            self._record(split, query, 200)
            return self._json(200, owner)
        except (ConnectionError, ssl.SSLError, OSError):
            self.close_connection = True
        except Exception:  # noqa: BLE001 - a bug of the fake fails the test
            fake.errors.append(traceback.format_exc())
            self.close_connection = True

    def _forbidden(self, path, query):
        """The Status of RBAC's refusal, if the token may not do this."""
        parts = path.strip("/").split("/")
        if parts[:3] == ["api", "v1", "pods"]:
            verb = "watch" if query.get("watch") in ("1", "true") else "list"
            resource, group, name, namespace = "pods", "", None, None
        elif len(parts) == 7 and parts[0] == "apis" and parts[3] == "namespaces":
            verb, resource, group, name, namespace = "get", parts[5], parts[1], parts[6], parts[4]
        else:
            return None
        with self.fake._lock:
            if resource not in self.fake._denied:
                return None
        qualified = f"{resource}.{group}" if group else resource
        subject = f'{qualified} "{name}"' if name else qualified
        scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
        status = status_object(403, "Forbidden",
                               f'{subject} is forbidden: User "{USER}" cannot {verb} resource "{resource}" '
                               f'in API group "{group}" {scope}')
        status["details"] = {"kind": resource, "group": group} if not name else \
            {"name": name, "kind": resource, "group": group}
        return status

    def _pods(self, split, query):
        fake = self.fake
        if query.get("fieldSelector") != f"spec.nodeName={fake.node_name}":
            self._record(split, query, 400)
            return self._json(400, status_object(400, "BadRequest",
                                                 f"expected fieldSelector spec.nodeName={fake.node_name}, got "
                                                 f"{query.get('fieldSelector')!r}"))
        if query.get("watch") not in ("1", "true"):
            limit = query.get("limit", "0") or "0"
            if not limit.isdigit():
                self._record(split, query, 400)
                return self._json(400, status_object(400, "BadRequest", f"invalid limit {limit!r}"))
            limit = int(limit)
            with fake._lock:
                fake.list_count += 1
                items = [pod for pod in fake._pods.values() if pod["spec"]["nodeName"] == fake.node_name]
                body = {"kind": "PodList", "apiVersion": "v1",
                        "metadata": {"resourceVersion": str(fake._rv)}, "items": items}
                if 0 < limit < len(items):
                    body["items"] = items[:limit]
                    body["metadata"]["continue"] = secrets.token_urlsafe(12)
                    body["metadata"]["remainingItemCount"] = len(items) - limit
            self._record(split, query, 200)
            return self._json(200, body)
        return self._watch(split, query)

    def _watch(self, split, query):
        fake = self.fake
        try:
            since = int(query.get("resourceVersion", "0") or "0")
        except ValueError:
            self._record(split, query, 400)
            return self._json(400, status_object(400, "BadRequest", "resourceVersion is not a number"))
        with fake._lock:
            fake.watch_count += 1
            fake._lock.notify_all()
            if fake._refuse_watches > 0:
                fake._refuse_watches -= 1
                refuse = True
            else:
                refuse = False
            gone_http, fake._gone_http = fake._gone_http, False
            expired = fake._expire_next or since < fake._oldest_kept - 1
            fake._expire_next = False
            generation = fake._drop_generation
        if refuse:
            self._record(split, query, 503)
            return self._json(503, status_object(503, "ServiceUnavailable", "the server is shutting down"))
        if gone_http:
            self._record(split, query, 410)
            return self._json(410, status_object(410, "Expired", "too old resource version"))
        self._record(split, query, 200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if expired:
            self._event("ERROR", status_object(410, "Expired", f"too old resource version: {since}"))
            return self._end()
        bookmarks = query.get("allowWatchBookmarks") == "true"
        timeout = float(query.get("timeoutSeconds", "1800"))
        deadline = time.monotonic() + timeout
        next_bookmark = time.monotonic() + fake.bookmark_interval
        position = since
        while True:
            with fake._lock:
                pending = [change for change in fake._changes if change[0] > position]
                if not pending:
                    fake._lock.wait(0.05)
                    pending = [change for change in fake._changes if change[0] > position]
                dropped = fake._drop_generation != generation or fake._closing
                rv = fake._rv
            if dropped:
                # Cut without the last chunk: the client sees a broken stream.
                self.close_connection = True
                self.wfile.flush()
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            for change_rv, kind, pod in pending:
                if pod["spec"]["nodeName"] == fake.node_name:
                    self._event(kind, pod)
                    with fake._lock:
                        fake.sent.append((kind, pod["metadata"]["uid"], time.monotonic()))
                position = change_rv
            now = time.monotonic()
            if bookmarks and now >= next_bookmark:
                self._event("BOOKMARK", {"kind": "Pod", "apiVersion": "v1",
                                         "metadata": {"resourceVersion": str(max(rv, position))}})
                position = max(rv, position)
                next_bookmark = now + fake.bookmark_interval
            if now >= deadline:
                return self._end()

    def _event(self, kind, value):
        line = json.dumps({"type": kind, "object": value}).encode() + b"\n"
        self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
        self.wfile.flush()

    def _end(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
