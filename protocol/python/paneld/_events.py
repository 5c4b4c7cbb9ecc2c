"""Events from paneld (frames with id 0): decoded into :class:`~paneld.model.Event`, applied to
the client's displays and pending flips, kept for ``Client.events()`` and handed to the
callbacks of ``Client.on()`` and ``Display.on_touch()``.

Private to the package. Lifetime: its client's. Threads: its client's (one at a time); callbacks
run only in :meth:`EventQueue.run_callbacks`, at the client's safe points.
"""
from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Callable, Deque, Dict, List, Mapping, MutableMapping, Optional

from . import _wire
from .model import Event, _parse_touch

if TYPE_CHECKING:  # pragma: no cover
    from .display import Display

EVENT_QUEUE_LIMIT = 1024  # events kept for events() when nobody reads them: the oldest go first

EventCallback = Callable[[Event], None]


class EventQueue:
    """The events of one client: those not yet read by ``events()`` (at most the last 1024), and
    those whose callbacks have not run yet. ``displays`` and ``flips`` are the client's own
    dicts (session -> Display; flip id -> None while pending, else its error code), shared, not
    copied: an event updates them."""

    def __init__(self, displays: Mapping[int, "Display"], flips: MutableMapping[int, Optional[int]]) -> None:
        self._displays = displays
        self._flips = flips
        #: events for ``Client.events()``, oldest first
        self.unread: Deque[Event] = collections.deque(maxlen=EVENT_QUEUE_LIMIT)
        self._to_call: Deque[Event] = collections.deque(maxlen=EVENT_QUEUE_LIMIT)
        self._callbacks: Dict[str, List[EventCallback]] = {}
        self._dispatching = False
        #: events read so far (flip completions a waiter consumed included)
        self.count = 0

    def add_callback(self, event_type: str, callback: EventCallback) -> None:
        """``callback`` runs for every later event of ``event_type`` (``"*"``: all)."""
        self._callbacks.setdefault(event_type, []).append(callback)

    def calls_waiting(self) -> bool:
        """True when callbacks are due and none is running (a request may run them as it returns)."""
        return bool(self._to_call) and not self._dispatching

    def handle(self, type_: int, payload: bytes) -> None:
        """Decodes the event frame ``type_``/``payload`` and applies it; unknown types are ignored."""
        name = _wire.EVENT_NAMES.get(type_)
        if name is None:
            return  # an event type this client does not know: ignored
        r = _wire.Reader(payload)
        if type_ in (_wire.EV_DEVICE_ADDED, _wire.EV_DEVICE_REMOVED):
            ev = Event(name, device=r.str())
        elif type_ == _wire.EV_UNPLUGGED:
            session = r.u32()
            ev = Event(name, session=session, device=r.str())
            d = self._displays.get(session)
            if d is not None:
                d.unplugged = True
        elif type_ == _wire.EV_FLIP_COMPLETE:
            session, buffer, flip_id, error = r.take("<IIII")
            ev = Event(name, session=session, buffer=buffer, flip_id=flip_id,
                       error=_wire.ERRNO_NAMES.get(error, "EIO") if error else None,
                       device=self._device_of(session))
            if flip_id in self._flips:
                self._flips[flip_id] = error  # consumed by the flip's waiter
                if self._callbacks.get(name) or self._callbacks.get("*"):
                    self._to_call.append(ev)
                self.count += 1
                return
        elif type_ == _wire.EV_OWNERSHIP:
            session, owner = r.take("<II")
            ev = Event(name, session=session, owner=bool(owner), device=self._device_of(session))
            d = self._displays.get(session)
            if d is not None:
                d.owner = bool(owner)
        elif type_ == _wire.EV_TOUCH:
            ev = _parse_touch(payload, self._displays.get(r.u32()))
        else:
            ev = Event(name, reason=r.str())
        self.count += 1
        self.unread.append(ev)
        if self._callbacks or getattr(getattr(ev, "display", None), "_touch_callbacks", None):
            self._to_call.append(ev)

    def _device_of(self, session: int) -> Optional[str]:
        d = self._displays.get(session)
        return d.name if d is not None else None

    def run_callbacks(self) -> None:
        """Runs the callbacks of the events read so far, in order; not re-entered from a callback.
        An exception raised by a callback propagates (the events after it wait for the next call)."""
        if self._dispatching:
            return
        self._dispatching = True
        try:
            while self._to_call:
                ev = self._to_call.popleft()
                for cb in self._callbacks.get(ev.type, []) + self._callbacks.get("*", []):
                    cb(ev)
                d = getattr(ev, "display", None)
                if d is not None:
                    for cb in list(d._touch_callbacks):
                        cb(ev)
        finally:
            self._dispatching = False
