"""Starting ``odoo-bin`` from the located source tree with a generated config."""

import errno
import socket
import sys

from . import HarnessError

SERIES = "18.0"


def adapt_version(version):
    """The version Odoo stores for a manifest version (series prefix added)."""
    return version if version.startswith(SERIES + ".") else f"{SERIES}.{version}"


def odoo_command(tree, config_path, *args):
    return [sys.executable, str(tree / "odoo-bin"), "-c", str(config_path), *args]


def ensure_port_free(port, interface="127.0.0.1", what="port"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((interface or "0.0.0.0", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise HarnessError(
                    f"{what} {port} is already in use (another Odoo running?); "
                    "stop that program or choose another with --port / --gevent-port."
                ) from exc
            raise


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
