"""A real IMAP server for the tests: Debian's dovecot, started on free ports of 127.0.0.1 with a configuration of
its own in a temporary folder (never the system's dovecot, never ports 143/993).

One server per test module (the fixture ``dovecot``); each test gets a mailbox of its own (``mailbox``): a new
user with a passwd file of its own. The server speaks plain IMAP on one port and
implicit TLS (imaps) on another, with a self-signed certificate made here by openssl; its file is the CA file
the client trusts.

Skips with "dovecot not installed" when the binary is missing (CI installs Debian's dovecot-imapd in .ci/run).
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from imapclient import IMAPClient

HOST = "127.0.0.1"
NO_KEYWORDS_FOLDER = "Ohne-Schlagworte"


def _dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(path, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid). As root: the users the Debian package creates and
    ``nobody`` for the mail files; as anyone else: that user for everything (dovecot then runs unprivileged)."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me, os.getuid(), os.getgid()
    internal = "dovecot" if _has_user("dovecot") else "nobody"
    login = "dovenull" if _has_user("dovenull") else "nobody"
    nobody = pwd.getpwnam("nobody")
    return internal, login, nobody.pw_uid, nobody.pw_gid


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


CONFIG = """\
# written by tests/conversation/dovecot.py for one test run
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
instance_name = kts-test-{imap_port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
first_valid_gid = 1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd/%u
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd/%u
}}
mail_location = maildir:~/Maildir
# the folder NO_KEYWORDS_FOLDER may not take keywords (no "w" right): a server without PERMANENTFLAGS \\*
mail_plugins = acl
plugin {{
  acl = vfile:{root}/dovecot-acl
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""


@dataclass
class Dovecot:
    root: Path
    imap_port: int
    imaps_port: int
    mail_uid: int
    mail_gid: int
    process: subprocess.Popen | None = None

    @property
    def cafile(self) -> str:
        return str(self.root / "cert.pem")

    def log(self) -> str:
        return "".join(
            (self.root / name).read_text(errors="replace")
            for name in ("dovecot.log", "stderr.log")
            if (self.root / name).exists()
        )

    def add_user(self, user: str, password: str) -> None:
        home = self.root / "home" / user
        home.mkdir(parents=True)
        os.chown(home, self.mail_uid, self.mail_gid)
        # a passwd file per user: dovecot re-reads a changed file only when its mtime changes, which one shared
        # file appended to within the same second does not show
        (self.root / "passwd" / user).write_text(
            f"{user}:{{PLAIN}}{password}:{self.mail_uid}:{self.mail_gid}::{home}::\n"
        )


@dataclass(frozen=True)
class Mailbox:
    """One user's mailbox on the test server."""

    server: Dovecot
    user: str
    password: str

    def url(self, *, tls: bool = False, folder: str = "INBOX") -> str:
        scheme, port = ("imaps", self.server.imaps_port) if tls else ("imap", self.server.imap_port)
        return f"{scheme}://{quote(self.user, safe='')}:{quote(self.password, safe='')}@{HOST}:{port}/{folder}"

    def client(self) -> IMAPClient:
        """A logged-in plain IMAP connection (the test's own view of the mailbox, like a mail client's)."""
        client = IMAPClient(HOST, port=self.server.imap_port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, *, folder: str = "INBOX") -> None:
        """Put a message into the folder as a mail server's delivery would (IMAP APPEND)."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw)

    def flags(self, *, folder: str = "INBOX") -> dict[str, set[str]]:
        """Each message's flags on the server, by its Message-ID header."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            fetched = client.fetch(client.search("ALL"), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        result = {}
        for data in fetched.values():
            header = data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode("ascii", "replace")
            message_id = header.partition(":")[2].strip()
            result[message_id] = {flag.decode() for flag in data[b"FLAGS"]}
        return result


def _wait_for_port(server: Dovecot, port: int, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {server.process.returncode}:\n{server.log()}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"dovecot did not listen on {HOST}:{port} within {timeout}s:\n{server.log()}")


def _make_certificate(root: Path) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=kts-test-imap",
            "-addext",
            f"subjectAltName=IP:{HOST},DNS:localhost",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def start_dovecot() -> Dovecot:
    binary = _dovecot_binary()
    if binary is None:
        pytest.skip("dovecot not installed (Debian: apt-get install dovecot-imapd; .ci/run installs it)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed (needed for the test server's certificate)")
    internal_user, login_user, mail_uid, mail_gid = _accounts()
    root = Path(tempfile.mkdtemp(prefix="kts-dovecot-"))
    root.chmod(0o755)  # the mail processes run as another user and must reach their homes below
    (root / "home").mkdir(mode=0o755)
    (root / "passwd").mkdir(mode=0o755)
    (root / "dovecot-acl").write_text(f"{NO_KEYWORDS_FOLDER} owner lrsipekxt\n")
    _make_certificate(root)
    server = Dovecot(root=root, imap_port=_free_port(), imaps_port=_free_port(), mail_uid=mail_uid, mail_gid=mail_gid)
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            host=HOST,
            root=root,
            imap_port=server.imap_port,
            imaps_port=server.imaps_port,
            internal_user=internal_user,
            internal_group=grp.getgrgid(pwd.getpwnam(internal_user).pw_gid).gr_name,
            login_user=login_user,
        )
    )
    with open(root / "stderr.log", "wb") as stderr:
        server.process = subprocess.Popen(
            [binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        _wait_for_port(server, server.imap_port)
        _wait_for_port(server, server.imaps_port)
    except Exception:
        stop_dovecot(server)
        raise
    return server


def stop_dovecot(server: Dovecot) -> None:
    process = server.process
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    shutil.rmtree(server.root, ignore_errors=True)


# Named *_server/*_fixture so that a test module imports them without shadowing its own parameters.
@pytest.fixture(scope="module", name="dovecot")
def dovecot_server() -> Iterator[Dovecot]:
    server = start_dovecot()
    yield server
    stop_dovecot(server)


@pytest.fixture(name="mailbox")
def mailbox_fixture(dovecot: Dovecot) -> Mailbox:
    """A fresh, empty mailbox of its own for one test (a new user; the password has URL-special characters)."""
    user = f"gemeindepost-{secrets.token_hex(4)}"
    password = f"p@ss/w%rd?#{secrets.token_hex(4)}"  # no ":" (the passwd file's separator)
    dovecot.add_user(user, password)
    return Mailbox(server=dovecot, user=user, password=password)
