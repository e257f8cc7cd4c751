"""Which network addresses the platform may connect to when it fetches a URL a person gave it. No Django.

A URL a user types (a suspect image, a page to watch, a page the evidence app captures) must never make the
server reach its own network: the database on loopback, the cloud's metadata service on link-local, an office
LAN. :func:`is_public` says whether an address is on the public internet; :class:`AddressPolicy` adds the few
loopback exceptions a test or the operator's command line grants, and :func:`resolve` turns a host name into
the addresses a connection may use, with a time limit, refusing the name outright when any of its addresses is
not permitted (a name that mixes public and internal answers is a DNS-rebinding attempt or a mistake).

Callers connect to the address :func:`resolve` returned, never to the name again, so a second DNS answer cannot
switch the connection to another address. ``core.fetch`` does this for every connection and redirect; a browser
capture (the evidence app) should answer each request the page makes with ``core.fetch`` (Playwright's
``page.route`` and ``route.fulfill``) rather than let the browser resolve and connect on its own.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address (RFC 6052 NAT64, RFC 3056 6to4) or reach IPv4 hosts by tunnel.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: site-local translators, never public
_TEREDO = ipaddress.IPv6Network("2001::/32")
_6TO4 = ipaddress.IPv6Network("2002::/16")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, NAT64, 6to4, IPv4-compatible), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _6TO4:
        return address.sixtofour
    return None


def is_public(address: IPAddress) -> bool:
    """Is ``address`` a unicast address on the public internet (not loopback, private, link-local, CGNAT,
    multicast, reserved, unspecified, documentation, benchmarking, nor an IPv6 form of any of them)?"""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id or address in _NAT64_LOCAL or address in _TEREDO:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            # ``::`` and ``::1`` sit in the IPv4-compatible block but are IPv6's own unspecified and loopback.
            return not (address.is_unspecified or address.is_loopback) and is_public(inner)
        if address.is_site_local:
            return False
    elif address in _CGNAT:
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the loopback exceptions granted here: ``loopback_ports`` lets a test reach the
    server it started (and nothing else on the machine); ``any_loopback`` is the operator's explicit
    command-line choice. A running platform (web, API, worker) uses the default: public addresses only."""

    loopback_ports: frozenset[int] = field(default_factory=frozenset)
    any_loopback: bool = False

    def permits(self, address: IPAddress, port: int) -> bool:
        if is_public(address):
            return True
        if address.is_loopback and not (isinstance(address, ipaddress.IPv6Address) and address.scope_id):
            return self.any_loopback or port in self.loopback_ports
        return False


PUBLIC_ONLY = AddressPolicy()


class NameNotResolved(Exception):
    """The host name has no address the policy permits: it does not resolve, did not resolve in time, or
    resolves (in part) to an address that is not public. One exception for all three on purpose: telling them
    apart would tell a user which names exist in the server's internal DNS."""


class AddressRefused(Exception):
    """The URL names an address (an IP literal) the policy does not permit."""


# getaddrinfo has no time limit of its own and a slow name server can hold it for half a minute, so it runs
# in these threads while the caller waits only as long as its deadline allows; a lookup that outlives its
# caller finishes in the background and is discarded. Bounded, so slow names cannot pile up threads.
_resolver: ThreadPoolExecutor | None = None
_resolver_lock = threading.Lock()


def _lookup_pool() -> ThreadPoolExecutor:
    global _resolver
    with _resolver_lock:
        if _resolver is None:
            _resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="artrights-resolve")
        return _resolver


def literal_address(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal (as ``urlsplit().hostname`` gives it), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int, policy: AddressPolicy = PUBLIC_ONLY, *, timeout: float = 5.0) -> list[IPAddress]:
    """The addresses a connection to ``host``:``port`` may use, in the resolver's order of preference.

    Raises :class:`AddressRefused` for an IP literal the policy refuses and :class:`NameNotResolved` for a name
    that does not resolve within ``timeout`` seconds or has any address the policy refuses."""
    literal = literal_address(host)
    if literal is not None:
        if not policy.permits(literal, port):
            raise AddressRefused(host)
        return [literal]
    future = _lookup_pool().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(timeout, 0.001))
    except (OSError, UnicodeError, FutureTimeout) as exc:
        raise NameNotResolved(host) from exc
    addresses: list[IPAddress] = []
    for family, *_rest, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        # Numeric forms the C library accepts (``2130706433``, ``0x7f.1``) arrive here resolved, and are judged
        # by the address they stand for like any name.
        if not policy.permits(address, port):
            raise NameNotResolved(host)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NameNotResolved(host)
    return addresses
