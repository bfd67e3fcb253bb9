# SPDX-License-Identifier: Apache-2.0
"""pytest fixtures for the fakes. A test module imports the ones it uses:

    from receivers.fixtures import receiver_tls, datadog_receiver  # noqa: F401

Each HTTP fake listens on HTTPS with a certificate of one CA per session
(`receiver_tls.ca_file`); every fake is stopped after its test, and a fake
that hit a bug of its own fails the test.
"""

import pytest

from .datadog import DatadogReceiver
from .http_json import HttpJsonReceiver
from .kube_api import KubeApiReceiver
from .pagerduty import PagerDutyReceiver
from .slack import SlackReceiver
from .splunk_hec import SplunkHecReceiver
from .syslog import SyslogReceiver
from .tls import make_tls_files


@pytest.fixture(scope="session")
def receiver_tls(tmp_path_factory):
    """A throwaway CA and a server certificate for 127.0.0.1, made with openssl."""
    return make_tls_files(tmp_path_factory.mktemp("receiver-tls"))


def _run(receiver):
    with receiver:
        yield receiver
        errors = receiver.errors
    if errors:
        pytest.fail(f"the {receiver.service} fake failed inside:\n" + "\n".join(errors))


@pytest.fixture
def datadog_receiver(receiver_tls):
    yield from _run(DatadogReceiver(tls=receiver_tls))


@pytest.fixture
def splunk_hec_receiver(receiver_tls):
    yield from _run(SplunkHecReceiver(tls=receiver_tls))


@pytest.fixture
def pagerduty_receiver(receiver_tls):
    yield from _run(PagerDutyReceiver(tls=receiver_tls))


@pytest.fixture
def slack_receiver(receiver_tls):
    yield from _run(SlackReceiver(tls=receiver_tls))


@pytest.fixture
def http_json_receiver(receiver_tls):
    yield from _run(HttpJsonReceiver(tls=receiver_tls))


@pytest.fixture
def syslog_receiver():
    yield from _run(SyslogReceiver())


@pytest.fixture
def kube_api_receiver(receiver_tls):
    """A fake Kubernetes API server for node "vigil-test-node": give the
    sensor that [sensor] node_name, or the fake answers its pod list with 400."""
    yield from _run(KubeApiReceiver(node_name="vigil-test-node", tls_files=receiver_tls))
