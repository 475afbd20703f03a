"""No fetching of loopback, private, link-local, unspecified or multicast addresses.

The check sits where connections are made (an httpcore network backend), so it
applies to every address a host name resolves to, to every redirect hop, and to
the address actually connected to: a name that resolved to a public address when
checked cannot connect somewhere else later. Odd spellings of an address
(`127.1`, `2130706433`, `0x7f.0.0.1`, `[::ffff:127.0.0.1]`) are resolved by the
system resolver first, so they are judged by what they mean."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ssl

    import httpcore
    import httpx


class BlockedAddress(Exception):
    """A host resolves to an address check-links refuses to fetch."""

    def __init__(self, host: str, address: str):
        what = "is" if host.strip("[]") == address else "resolves to"
        super().__init__(f"{host} {what} the non-public address {address}")
        self.host = host
        self.address = address


def is_refused_address(address: str) -> bool:
    """True for loopback, private, link-local, unspecified, multicast and reserved addresses,
    also when written as an IPv4 address inside IPv6 (::ffff:127.0.0.1, 6to4, Teredo)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and is_refused_address(str(embedded)):
            return True
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified or ip.is_multicast
            or ip.is_reserved)


def _guarded_backend_class() -> type[httpcore.AsyncNetworkBackend]:
    import anyio
    import httpcore

    class GuardedBackend(httpcore.AsyncNetworkBackend):
        """Resolves, refuses if any address is not public, then connects to a checked address."""

        def __init__(self) -> None:
            self._inner = httpcore.AnyIOBackend()

        async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                              local_address: str | None = None,
                              socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
            try:
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
            addresses = list(dict.fromkeys(info[4][0] for info in infos))
            for address in addresses:
                if is_refused_address(address):
                    raise BlockedAddress(host, address)
            error: Exception = httpcore.ConnectError(f"{host} has no address")
            for address in addresses:
                try:
                    return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    error = exc
            raise error

        async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                      socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
            raise BlockedAddress(path, "a Unix socket")

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    return GuardedBackend


def guarded_transport(max_connections: int, ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through the address check.

    httpx has no public setting for httpcore's network backend, so the pool is
    replaced (httpx is held below 0.29 in pyproject.toml; tests/test_network_faults.py
    fails if this stops guarding)."""
    import httpcore
    import httpx

    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context or httpx.create_ssl_context(), max_connections=max_connections,
        max_keepalive_connections=max_connections, keepalive_expiry=5.0,
        network_backend=_guarded_backend_class()())
    return transport
