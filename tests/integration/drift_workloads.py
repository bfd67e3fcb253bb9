# SPDX-License-Identifier: Apache-2.0
"""Benign workloads for the drift soak, shared by tests/integration/test_drift.py
(seconds) and bench/drift_soak.py (as long as asked): a web server under load,
a shell loop of file I/O with ever new file names, and a periodic job."""

import time

# busybox httpd serving a page, with a client fetching it in a loop.
WEB_SERVER = ["sh", "-c",
              "mkdir -p /www && echo hello >/www/index.html && httpd -p 8080 -h /www && "
              "while true; do wget -q -O /dev/null http://127.0.0.1:8080/index.html; sleep 0.05; done"]
# Uploads with random names (collapsing keeps /tmp/* one entry), each read back and removed.
FILE_LOOP = ["sh", "-c",
             "while true; do name=/tmp/upload-$RANDOM.png; echo data >$name; cat $name >/dev/null; "
             "rm -f $name; sleep 0.05; done"]
# What a cron job would run every few seconds.
PERIODIC_JOB = ["sh", "-c", "mkdir -p /var/tmp; date >/var/tmp/last-run; ls /var/tmp >/dev/null; true"]


def start_benign(container):
    """Starts the server and the file loop in the background of @container."""
    for command in (WEB_SERVER, FILE_LOOP):
        background = ["sh", "-c", f"({' '.join(quote(part) for part in command)}) >/dev/null 2>&1 &"]
        completed = container.exec(background)
        assert completed.returncode == 0, completed.stderr


def run_periodic(container, seconds, every=2.0):
    """Runs the periodic job every @every seconds for @seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        container.exec(PERIODIC_JOB)
        time.sleep(every)


def quote(text):
    return "'" + text.replace("'", "'\\''") + "'"
