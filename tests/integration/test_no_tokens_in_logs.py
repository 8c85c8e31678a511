"""Issue 13, item 2: no token and no e-mail address of a query string appears in the logs of the web process. A
real gunicorn started with the production configuration (settings/gunicorn.py, the Procfile's web line) serves
token pages with a token in the Referer too; its access log and error log are read afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq8yKJ3v0Tn5XwS1aBcDeFgHiJkLmNoP"  # the shape of a status token (token_urlsafe(24))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, referer: str = "") -> int:
    request = urllib.request.Request(url, headers={"Referer": referer} if referer else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not Path(sys.executable).with_name("gunicorn").exists(), reason="gunicorn not installed")
def test_the_web_process_logs_no_token_and_no_address_of_a_query(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kts.sqlite3'}",
        "KTS_VAR_DIR": str(tmp_path),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "settings/gunicorn.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        statuses = [
            _get(f"{base}/status/{TOKEN}/", referer=f"{base}/vermittlung/{TOKEN}/"),
            _get(f"{base}/api/v1/public/enquiries/{TOKEN}/"),
            _get(f"{base}/umfrage/{TOKEN}/"),
            _get(f"{base}/api/v1/privacy/export/?email=erika%40bamberg.example"),
        ]
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()

    text = (tmp_path / "web.log").read_text()
    assert len(statuses) == 4 and all(status >= 200 for status in statuses)
    assert "/status/[token]/" in text  # the access log is written, redacted
    assert TOKEN not in text
    assert "erika" not in text and "bamberg.example" not in text
