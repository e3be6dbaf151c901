"""Fill the nginx site template (deploy/nginx/kamteam.conf) for one installation.

    .venv/bin/python deploy/render.py --server-name kamteam.example.com \\
        > /etc/nginx/sites-available/kamteam

prints the site with the given values, or stops with a message on a value
that would break the file (a space, a semicolon, a relative path). The
defaults fit the layout of README, "Deploying": the checkout in /srv/kamteam,
gunicorn on 127.0.0.1:8000, a certificate from certbot. The end-to-end test
(deploy/tests/test_nginx_tls.py) renders the same template with this module.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "kamteam.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# A value goes into an nginx directive as one word: these would end it, start
# another, or open a block.
UNSAFE = re.compile(r"[\s;{}'\"#$]")


@dataclass(frozen=True)
class Site:
    server_name: str
    upstream: str = "127.0.0.1:8000"
    static_root: str = "/srv/kamteam/staticfiles"
    media_root: str = "/srv/kamteam/media"
    cert: str = ""  # certbot's files for server_name unless given
    key: str = ""
    http_listen: str = "80"
    https_listen: str = "443"

    def values(self) -> dict[str, str]:
        live = f"/etc/letsencrypt/live/{self.server_name}"
        return {
            "SERVER_NAME": self.server_name,
            "UPSTREAM": self.upstream,
            "STATIC_ROOT": self.static_root.rstrip("/"),
            "MEDIA_ROOT": self.media_root.rstrip("/"),
            "CERT": self.cert or f"{live}/fullchain.pem",
            "KEY": self.key or f"{live}/privkey.pem",
            "HTTP_LISTEN": self.http_listen,
            "HTTPS_LISTEN": self.https_listen,
            "HTTPS_PORT_SUFFIX": _port_suffix(self.https_listen),
        }


def _port(listen: str) -> int:
    """The port of an nginx listen value: 443, 127.0.0.1:8443, [::1]:8443."""
    port = listen.rsplit(":", 1)[-1] if not listen.endswith("]") else ""
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(
            f"a listen address must end with a port (443, 127.0.0.1:443); got {listen!r}"
        )
    return int(port)


def _port_suffix(listen: str) -> str:
    # What the HTTP redirect appends to the host: nothing for HTTPS's own port.
    port = _port(listen)
    return "" if port == 443 else f":{port}"


def _check(values: dict[str, str]) -> None:
    for name, value in values.items():
        if name == "HTTPS_PORT_SUFFIX":
            continue
        if not value or UNSAFE.search(value):
            raise ValueError(
                f"{name} must be one word without spaces, quotes or ;{{}}#$; got {value!r}"
            )
    for name in ("STATIC_ROOT", "MEDIA_ROOT", "CERT", "KEY"):
        if not values[name].startswith("/"):
            raise ValueError(f"{name} must be an absolute path; got {values[name]!r}")
    _port(values["HTTP_LISTEN"])


def fill(template: str, values: dict[str, str]) -> str:
    """`template` with every @NAME@ replaced; a placeholder without a value is an error."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render(site: Site, template: Path = TEMPLATE) -> str:
    values = site.values()
    _check(values)
    return fill(template.read_text(), values)


def main(argv: list[str] | None = None) -> int:
    defaults = Site(server_name="")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="kamteam's host name")
    parser.add_argument(
        "--upstream",
        default=defaults.upstream,
        help="gunicorn's address (GUNICORN_BIND): host:port or unix:/path",
    )
    parser.add_argument(
        "--static-root",
        default=defaults.static_root,
        help="STATIC_ROOT, where collectstatic writes",
    )
    parser.add_argument(
        "--media-root",
        default=defaults.media_root,
        help="MEDIA_ROOT, the uploaded files /protected/ (X-Accel-Redirect) sends",
    )
    parser.add_argument(
        "--cert", default="", help="certificate chain (default: certbot's fullchain.pem)"
    )
    parser.add_argument("--key", default="", help="private key (default: certbot's privkey.pem)")
    parser.add_argument("--http-listen", default=defaults.http_listen, help="[address:]port")
    parser.add_argument("--https-listen", default=defaults.https_listen, help="[address:]port")
    args = parser.parse_args(argv)
    site = Site(**{name: value for name, value in vars(args).items()})
    try:
        sys.stdout.write(render(site))
    except ValueError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
