"""A real OpenLDAP server for the sign-in tests: slapd on a free loopback port.

The session fixture `ldap_server` writes a minimal slapd.conf and an MDB
database for dc=kamteam,dc=test into a temporary folder, loads two people
and the managers' group with slapadd (offline, before the start), and runs
`slapd -d 0` in the foreground until the session ends. Tests change the
directory through `ldap_server.connect()` (bound as the directory's admin)
and give kamteam the settings of `ldap_server.settings()`.

Without slapd the tests are skipped, unless KAMTEAM_REQUIRE_BROWSER is set
(as in CI, .ci/run installs it): then they fail, so a machine without the
server cannot pass them silently.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.smtp import free_port

SUFFIX = "dc=kamteam,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
MANAGERS_DN = f"cn=kam-managers,{GROUPS}"
# The service account kamteam binds as to find people (LDAP_BIND_DN).
READER_DN = f"cn=kamteam-reader,{SUFFIX}"
READER_PASSWORD = "reader-secret-123"
LENA_PASSWORD = "lena-directory-pw-1"
PAUL_PASSWORD = "paul-directory-pw-1"

SCHEMAS = ("core", "cosine", "inetorgperson", "nis")

CONFIG = """\
{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args

database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_password}
directory {folder}/data

# Passwords: a person may bind with theirs, nobody may read them.
access to attrs=userPassword by anonymous auth by self auth by * none
access to * by * read
"""


def ssha(password: str) -> str:
    """The {SSHA} form of `password`, as slappasswd writes it."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _line(attribute: str, value: str) -> str:
    # LDIF wants values beyond ASCII in base64, after a double colon.
    if value.isascii():
        return f"{attribute}: {value}\n"
    return f"{attribute}:: {base64.b64encode(value.encode()).decode()}\n"


def _person(uid: str, given: str, surname: str, password: str) -> str:
    return (
        f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
        + _line("cn", f"{given} {surname}")
        + _line("givenName", given)
        + _line("sn", surname)
        + f"mail: {uid}@kamteam.test\nuserPassword: {ssha(password)}\n"
    )


def directory_ldif() -> str:
    """The directory: two people, and the managers' group with Lena in it."""
    return "\n".join(
        [
            f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
            "dc: kamteam\no: kamteam test\n",
            f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
            f"cn: kamteam-reader\nuserPassword: {ssha(READER_PASSWORD)}\n",
            f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
            f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
            _person("lena.ldap", "Lena", "Berger", LENA_PASSWORD),
            _person("paul.ldap", "Paul", "Krämer", PAUL_PASSWORD),
            f"dn: {MANAGERS_DN}\nobjectClass: groupOfNames\ncn: kam-managers\n"
            f"member: uid=lena.ldap,{PEOPLE}\n",
        ]
    )


@dataclass
class LdapServer:
    """A running slapd and the settings that point kamteam at it."""

    uri: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """End slapd (a directory that goes down in the middle of a login, say)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def settings(self) -> dict[str, Any]:
        """kamteam's AUTH_LDAP_* settings for this server, as kamteam/settings.py builds them."""
        from sso.ldap_settings import ldap_settings

        environ = {
            "LDAP_SERVER_URI": self.uri,
            "LDAP_BIND_DN": READER_DN,
            "LDAP_BIND_PASSWORD": READER_PASSWORD,
            "LDAP_USER_SEARCH_BASE": PEOPLE,
            "LDAP_MANAGERS_GROUP_DN": MANAGERS_DN,
            "LDAP_GROUP_SEARCH_BASE": GROUPS,
        }
        return ldap_settings(environ=environ, group_type="groupofnames", timeout=5)

    def connect(self) -> Any:
        """A python-ldap connection bound as the directory's admin, to change it in a test."""
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return connection


def _slapd() -> str | None:
    return shutil.which("slapd") or shutil.which("slapd", path="/usr/sbin:/usr/local/sbin")


def _write_config(folder: Path) -> Path:
    (folder / "data").mkdir()
    includes = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS)
    config = folder / "slapd.conf"
    config.write_text(
        CONFIG.format(
            includes=includes,
            folder=folder,
            suffix=SUFFIX,
            admin_dn=ADMIN_DN,
            admin_password=ADMIN_PASSWORD,
        )
    )
    return config


def _wait_until_it_answers(uri: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import ldap

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"slapd ended with {process.returncode} before answering: {log.read_text()}"
            )
        try:
            connection = ldap.initialize(uri)
            connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
            connection.unbind_s()
            return
        except ldap.SERVER_DOWN:
            time.sleep(0.1)
    raise RuntimeError(f"slapd did not answer on {uri} within 20 s")


@contextmanager
def running_slapd(folder: Path) -> Iterator[LdapServer]:
    """slapd with the test directory in `folder`, on 127.0.0.1 only, until the block ends."""
    slapd = _slapd()
    if not slapd or not Path("/etc/ldap/schema/inetorgperson.schema").exists():
        if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
            pytest.fail("KAMTEAM_REQUIRE_BROWSER is set but slapd is missing")
        pytest.skip("slapd not installed (apt-get install slapd)")
    config = _write_config(folder)
    ldif = folder / "directory.ldif"
    ldif.write_text(directory_ldif())
    slapadd = shutil.which("slapadd", path=str(Path(slapd).parent)) or "slapadd"
    subprocess.run([slapadd, "-f", str(config), "-l", str(ldif)], check=True, capture_output=True)
    uri = f"ldap://127.0.0.1:{free_port()}"
    log = (folder / "slapd.log").open("wb")
    process = subprocess.Popen(
        [slapd, "-h", f"{uri}/", "-f", str(config), "-d", "0"], stdout=log, stderr=log
    )
    try:
        _wait_until_it_answers(uri, process, folder / "slapd.log")
        yield LdapServer(uri=uri, process=process)
    finally:
        LdapServer(uri=uri, process=process).stop()
        log.close()


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LdapServer]:
    """The test directory's slapd for the whole session."""
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server
