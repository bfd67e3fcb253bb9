# SPDX-License-Identifier: Apache-2.0
"""Loopback fakes of the services vigil's outputs talk to (Datadog, Splunk
HEC, PagerDuty, Slack, syslog, and an HTTP receiver of the common JSON alert
shape), for tests on a machine without network. See README.md."""

from .base import HttpReceiver, ReceiverError, Request, Response
from .datadog import DatadogReceiver
from .http_json import HttpJsonReceiver
from .pagerduty import PagerDutyReceiver
from .slack import SlackReceiver
from .splunk_hec import SplunkHecReceiver
from .syslog import SyslogReceiver
from .tls import TlsFiles, make_tls_files

__all__ = [
    "DatadogReceiver", "HttpJsonReceiver", "HttpReceiver", "PagerDutyReceiver", "ReceiverError", "Request",
    "Response", "SlackReceiver", "SplunkHecReceiver", "SyslogReceiver", "TlsFiles", "make_tls_files",
]
