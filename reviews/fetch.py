"""Fetch a page or a feed from the web, refusing what an article fetch must never do.

A URL typed by an editor or found in a feed is untrusted. Every hop (the URL and each
redirect) is checked before any connection: http(s) only, no user name or password in it,
its host resolved and *every* address it resolves to public (no loopback, private,
link-local, carrier-grade NAT, multicast or reserved address: the server would otherwise be
a way into the newsroom's own network), unless the host or its network is in the allow-list.
The connection then goes to the address that was checked, not to a second lookup of the
name, so a name that answers differently the second time gains nothing. A fetch has one
deadline for all its hops, a size cap read as it streams, and a content type it must have.

No Django here: the policy comes in as a value (``FetchPolicy.from_settings()`` builds it).
"""

import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from .textproc import InputError

# The answers an article fetch takes, with the suffix that tells the pipeline how to read them.
PAGE_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
FEED_TYPES = {
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rdf+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
CHUNK = 64 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class FetchError(InputError):
    """The URL cannot be fetched as an article or a feed; the message says why.

    ``transient`` errors (a timeout, a refused connection, a 5xx answer) may succeed later
    and are retried; the others will not.
    """

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class FetchPolicy:
    allowed_hosts: tuple[str, ...] = ()
    timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = "NewsroomReview/1.0"
    _networks: tuple = field(default=(), init=False, repr=False, compare=False)
    _names: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self):
        networks, names = [], set()
        for entry in self.allowed_hosts:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry.strip().lower().rstrip("."))
        object.__setattr__(self, "_networks", tuple(networks))
        object.__setattr__(self, "_names", frozenset(names))

    @classmethod
    def from_settings(cls) -> "FetchPolicy":
        from django.conf import settings

        return cls(
            allowed_hosts=tuple(settings.FETCH_ALLOWED_HOSTS),
            timeout=settings.FETCH_TIMEOUT,
            max_redirects=settings.FETCH_MAX_REDIRECTS,
            max_bytes=settings.FETCH_MAX_BYTES,
            user_agent=settings.FETCH_USER_AGENT,
        )

    def allows(self, host: str, address) -> bool:
        """Whether a connection to ``address`` (resolved from ``host``) may be made."""
        if host.lower().rstrip(".") in self._names or any(address in net for net in self._networks):
            return True
        return public(address)


@dataclass(frozen=True)
class Page:
    url: str  # where the answer came from, after redirects
    requested: str
    content_type: str
    suffix: str  # ".html", ".txt", ".md" or ".xml": how to read ``data``
    data: bytes  # text types are transcoded to UTF-8
    redirects: int = 0


def public(address) -> bool:
    """True for an address on the public internet (an IPv4-mapped IPv6 address as its IPv4)."""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a literal address is itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _checked_address(host: str, port: int, policy: FetchPolicy) -> str:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"the host {host!r} cannot be found ({exc})", transient=True) from None
    if not addresses:
        raise FetchError(f"the host {host!r} has no address")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not policy.allows(host, address):
            raise FetchError(
                f"{host} resolves to {address}, which is not a public address: refused "
                "(a fetch may not reach the newsroom's own network; FETCH_ALLOWED_HOSTS lists exceptions)"
            )
    return addresses[0]


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or a FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"{url[:200]!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url[:200]!r} is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise FetchError("a URL with a user name or password is not fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def _at(url: str, current: str) -> str:
    """Where an error happened, when it is not the URL asked for (a redirect's target)."""
    return "" if current == url else f"redirected to {current}: "


def _media_type(header: str) -> tuple[str, str]:
    """(media type, charset) of a Content-Type header."""
    media, _, rest = (header or "").partition(";")
    charset = ""
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _as_utf8(data: bytes, charset: str, suffix: str) -> bytes:
    """Text answers in their declared encoding, re-encoded as the UTF-8 the pipeline reads."""
    if not charset and suffix == ".html":
        found = _META_CHARSET.search(data[:4096])
        charset = found.group(1).decode("ascii") if found else ""
    if not charset or charset.lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
        return data
    try:
        return data.decode(charset).encode("utf-8")
    except LookupError:
        raise FetchError(f"unknown character set {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise FetchError(f"the text is not valid {charset} ({exc.reason} at byte {exc.start})") from None


def fetch(url: str, *, policy: FetchPolicy, accept: dict[str, str] = PAGE_TYPES) -> Page:
    """GET ``url`` under ``policy``; the answer must be one of the ``accept`` media types."""
    deadline = time.monotonic() + policy.timeout
    current = url
    for hop in range(policy.max_redirects + 1):
        scheme, host, port, path = _target(current)
        address = _checked_address(host, port, policy)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"no answer within {policy.timeout:g} s", transient=True)
        timeout = urllib3.Timeout(connect=remaining, read=remaining)
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                maxsize=1,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
        default_port = 443 if scheme == "https" else 80
        headers = {
            "Host": host if port == default_port else f"{host}:{port}",
            "User-Agent": policy.user_agent,
            "Accept": ", ".join(accept),
            "Accept-Encoding": "identity",
        }
        try:
            response = pool.urlopen(
                "GET", path, headers=headers, redirect=False, preload_content=False, retries=False
            )
        except urllib3.exceptions.TimeoutError:
            raise FetchError(f"no answer within {policy.timeout:g} s", transient=True) from None
        except urllib3.exceptions.SSLError as exc:
            raise FetchError(f"{_at(url, current)}the secure connection failed ({exc})") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"{_at(url, current)}the connection failed ({exc})", transient=True) from None
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{_at(url, current)}a redirect ({response.status}) with no Location")
                current = urljoin(current, location.strip())
                continue
            return _read(response, url, current, accept, policy, deadline, hop)
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(f"more than {policy.max_redirects} redirects")


def _read(response, url, current, accept, policy, deadline, hops) -> Page:
    if response.status >= 400:
        reason = response.reason or ""
        raise FetchError(
            f"{_at(url, current)}the server answered {response.status} {reason}".rstrip(),
            transient=response.status >= 500 or response.status == 429,
        )
    if response.status != 200:
        raise FetchError(f"{_at(url, current)}the server answered {response.status}, not a page")
    media, charset = _media_type(response.headers.get("Content-Type", ""))
    if media not in accept:
        wanted = " or ".join(sorted(accept))
        raise FetchError(f"{_at(url, current)}the answer is {media or 'of no stated type'}, not {wanted}")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > policy.max_bytes:
        raise FetchError(
            f"{_at(url, current)}the answer is {int(length):,} bytes, "
            f"over the {policy.max_bytes:,}-byte limit"
        )
    chunks, size = [], 0
    try:
        for chunk in response.stream(CHUNK, decode_content=False):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(f"{_at(url, current)}the answer is over the {policy.max_bytes:,}-byte limit")
            if time.monotonic() > deadline:
                raise FetchError(f"not received within {policy.timeout:g} s", transient=True)
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"not received within {policy.timeout:g} s", transient=True) from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"{_at(url, current)}the answer was cut off ({exc})", transient=True) from None
    data = b"".join(chunks)
    if b"\x00" in data[:8192] and not charset.lower().startswith(("utf-16", "utf-32")):
        raise FetchError(f"{_at(url, current)}the answer is binary, not text ({media})")
    suffix = accept[media]
    return Page(
        url=current,
        requested=url,
        content_type=media,
        suffix=suffix,
        data=_as_utf8(data, charset, suffix),
        redirects=hops,
    )
