"""Exceptions raised by the paneld client."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from . import _wire


class PaneldError(OSError):
    """paneld refused a request: an ERROR frame (PROTOCOL.md section 3).

    ``errno`` is the code (e.g. 19), ``name`` its name (``"ENODEV"``), ``message`` the daemon's
    text and ``request`` the name of the request it answers (``"FLUSH"``). ``str()`` gives
    ``"FLUSH: ENODEV: device lcd0 is gone"``.
    """

    def __init__(self, code: int, message: str, request: Optional[str] = None) -> None:
        super().__init__(code, message)
        self.name: str = _wire.ERRNO_NAMES.get(code, "EIO")
        self.message: str = message
        self.request: Optional[str] = request

    def __str__(self) -> str:
        prefix = self.request + ": " if self.request else ""
        return "%s%s: %s" % (prefix, self.name, self.message)

    def __reduce__(self) -> Tuple[Any, ...]:  # keep pickling (multiprocessing) working with the extra argument
        return (self.__class__, (self.errno, self.message, self.request))


class UnpluggedError(PaneldError):
    """ENODEV: the session's device is gone (unplugged or unbound). Close the display and open
    it again once a ``device_added`` event names it."""


class ProtocolError(ConnectionError):
    """The connection is unusable: the daemon closed it, or sent something this client cannot
    parse. Reconnect."""


def from_error(code: int, message: str, request_type: int) -> PaneldError:
    """The exception for an ERROR frame's fields."""
    request = _wire.TYPE_NAMES.get(request_type) if request_type else None
    if code not in _wire.ERRNO_NAMES:
        message = "(unknown error code %d) %s" % (code, message)
        code = 5  # PROTOCOL.md: unknown codes are treated as EIO
    cls = UnpluggedError if code == 19 else PaneldError
    return cls(code, message, request)
