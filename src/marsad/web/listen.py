"""The reader's listening socket, bound before anything else starts so that a busy port is said at once."""

from __future__ import annotations

import errno
import socket


class ListenError(OSError):
    """The reader cannot listen on the address asked for; the message says why and what to change."""


class PortInUse(ListenError):
    """Something (often another `marsad serve` or demo) already listens on the port."""


def listen_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to HOST:PORT, as uvicorn binds one (IPv6 when the host is an IPv6 address,
    SO_REUSEADDR so a port left in TIME_WAIT can be taken again). Raises PortInUse when the port is taken,
    ListenError for any other refusal (a privileged port, an address this machine does not have)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"port {port} is already in use on {host} (is Marsad already serving there?);"
                " choose another with --port, e.g. --port " + str(port + 1 if port < 65535 else 8001),
            ) from None
        raise ListenError(
            f"cannot listen on {shown}: {error.strerror or error}; change --host or --port"
        ) from None
    return sock
