"""paneld: the Python client of the paneld display daemon.

Pure standard library (Python >= 3.9); Pillow and numpy are used when installed. The wire
protocol is specified in PROTOCOL.md of the paneld repository.

    import paneld
    with paneld.connect() as client, client.open("lcd0") as display:
        display.show(image)            # a Pillow image, or bytes of XRGB8888/RGB565
"""
from .client import Client, connect
from .model import DeviceInfo, Event, Limits, Property, Snapshot, TouchEvent, default_socket
from .display import Buffer, Display, StreamStats
from .errors import PaneldError, ProtocolError, UnpluggedError

__version__ = "0.1.0"

__all__ = [
    "connect", "default_socket", "Client", "Display", "Buffer", "DeviceInfo", "Property", "Event",
    "TouchEvent", "Snapshot", "Limits", "StreamStats", "PaneldError", "UnpluggedError", "ProtocolError",
]
