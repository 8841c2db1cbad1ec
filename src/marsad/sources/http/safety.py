"""Which addresses the crawler may contact, checked where the connection is made.

A URL from a feed or a redirect can name any host, and a host name can resolve to anything (an intranet
server, the cloud metadata service at 169.254.169.254, the machine itself). So the check is not done on
the URL: `SafeNetworkBackend` sits under httpx, resolves the host itself, refuses every address that is
loopback, private, link-local, multicast, reserved or unspecified (unless the operator's policy allows its
network), and then connects to the checked IP, never to the name again (no second lookup to race). Every
redirect is a new request and goes through the same door. TLS still verifies the certificate against the
host name, since httpcore passes the name for SNI separately from the address it connected to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOWED_SCHEMES = ("http", "https")


class BlockedAddress(httpx.TransportError):
    """A host that resolves to an address the policy refuses; no connection was attempted."""


class BlockedURL(ValueError):
    """A URL that is refused before any lookup: a scheme other than http/https, or no host."""


@dataclass(frozen=True)
class AddressPolicy:
    """`allow`: networks the operator opens on purpose (tests: 127.0.0.0/8). `public`: whether ordinary
    global addresses may be contacted (tests switch it off so nothing but loopback is ever reached)."""

    allow: tuple[IPNetwork, ...] = ()
    public: bool = True

    @classmethod
    def from_strings(cls, networks: Iterable[str] = (), *, public: bool = True) -> AddressPolicy:
        return cls(tuple(ipaddress.ip_network(n, strict=False) for n in networks), public)

    @classmethod
    def allow_private(cls) -> AddressPolicy:
        """Everything, including loopback and private networks (the `--allow-private` switch)."""
        return cls.from_strings(["0.0.0.0/0", "::/0"])

    def refusal(self, address: str) -> str | None:
        """None when `address` may be contacted, else the reason it may not."""
        try:
            ip = _unmapped(ipaddress.ip_address(address))
        except ValueError:
            return f"{address!r} is not an IP address"
        if any(ip.version == net.version and ip in net for net in self.allow):
            return None
        kind = special_kind(ip)
        if kind:
            return f"{address} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
        if not self.public:
            return f"{address} is a public address and this crawl allows only {self._allowed()}"
        return None

    def _allowed(self) -> str:
        return ", ".join(str(n) for n in self.allow) or "nothing"


def _unmapped(ip: IPAddress) -> IPAddress:
    """::ffff:10.0.0.1 is 10.0.0.1: judge IPv4-mapped IPv6 addresses by their IPv4 part."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def special_kind(ip: IPAddress) -> str | None:
    """The reason an address is not a plain public one, or None."""
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def check_url(url: str | httpx.URL) -> None:
    """Refuse schemes other than http/https and URLs without a host, before anything else happens."""
    try:
        parts = urlsplit(str(url))
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise BlockedURL(f"malformed URL {url}: {error}") from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedURL(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'}: {url}")
    if not parts.hostname:
        raise BlockedURL(f"URL has no host: {url}")


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order, without duplicates."""
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for *_, sockaddr in infos:
        address = sockaddr[0]  # an IP address string for AF_INET and AF_INET6, the only families given
        if isinstance(address, str) and address not in seen:
            seen.append(address)
    return seen


def static_resolver(table: dict[str, Sequence[str]]) -> Resolver:
    """A resolver from a fixed table (tests: fake host names that point at loopback or at 10.0.0.1)."""

    async def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return list(table[host])
        return await system_resolver(host, port)

    return resolve


@dataclass
class SafeNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check in front of every TCP connection."""

    policy: AddressPolicy
    resolver: Resolver = system_resolver
    inner: httpcore.AsyncNetworkBackend = field(default_factory=httpcore.AnyIOBackend)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._checked_addresses(host, port, timeout)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        raise last_error or httpcore.ConnectError(f"no address for {host}")

    async def _checked_addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        host = host.strip("[]")
        try:
            addresses = await asyncio.wait_for(self.resolver(host, port), timeout)
        except (OSError, TimeoutError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        # One refused address refuses the host: a name that points at both a public and a private
        # address is a rebinding trick, not a mirror.
        for address in addresses:
            reason = self.policy.refusal(address)
            if reason:
                raise BlockedAddress(f"refused {host}: {reason}")
        return addresses

    async def connect_unix_socket(self, path: str, timeout=None, socket_options=None):  # pragma: no cover
        raise BlockedAddress("unix sockets are never used by the crawler")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class SafeTransport(httpx.AsyncHTTPTransport):
    """An httpx transport whose connection pool connects only through a `SafeNetworkBackend`.

    No proxy is used (a proxy would make the connection on our behalf, unchecked).
    """

    def __init__(self, backend: SafeNetworkBackend, *, limits: httpx.Limits | None = None, **kwargs) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(limits=limits, trust_env=False, **kwargs)
        ssl_context = self._pool._ssl_context  # built by httpx from `verify`; keep it
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_url(request.url)
        return await super().handle_async_request(request)
