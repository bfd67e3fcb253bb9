# SPDX-License-Identifier: Apache-2.0
"""A throwaway certificate authority and a server certificate for 127.0.0.1,
made with the `openssl` command line, so that a client under test verifies the
fakes' TLS the way it verifies the real services' (CA bundle, name check)."""

import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# EC keys: generating them takes milliseconds, RSA keys take far longer.
_KEY = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")

_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
"""


class TlsError(RuntimeError):
    pass


@dataclass(frozen=True)
class TlsFiles:
    """PEM files: the CA bundle a client trusts, and the server's pair."""

    directory: Path
    ca_file: Path
    cert_file: Path
    key_file: Path


def _openssl(*args, cwd):
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TlsError("the `openssl` command is needed to make the receivers' certificates")
    result = subprocess.run([openssl, *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise TlsError(f"openssl {' '.join(args[:2])} failed: {result.stderr.strip()}")


def make_tls_files(directory=None) -> TlsFiles:
    """A new CA and a certificate it signed for 127.0.0.1 and localhost, valid
    for a day, written to `directory` (a new temporary one if None)."""
    directory = Path(directory or tempfile.mkdtemp(prefix="vigil-receiver-tls-"))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "server.ext").write_text(_SERVER_EXTENSIONS)
    _openssl("req", "-x509", *_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
             "-subj", "/CN=vigil test receivers CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
    _openssl("req", *_KEY, "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost", cwd=directory)
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-set_serial", str(secrets.randbits(63) | 1),
             "-days", "1", "-extfile", "server.ext", "-out", "server.pem", cwd=directory)
    return TlsFiles(directory, directory / "ca.pem", directory / "server.pem", directory / "server.key")
