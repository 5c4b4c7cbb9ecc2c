/**
 * The GUD (Generic USB Display) host driver: the protocol of Linux's drivers/gpu/drm/gud and
 * include/drm/gud.h, in userspace, over {@link org.paneld.drivers.usb.UsbTransport}.
 *
 * <ul>
 *   <li>{@link org.paneld.drivers.gud.GudDriver} — the driver "gud" (register it on the bus);
 *       probes a real device (attachment {@code UsbTransportFactory}) or the emulator of
 *       {@code backend = "virtual"} ({@code VirtualGudDevice}, attachment {@code VirtualHardware}).</li>
 *   <li>{@link org.paneld.drivers.gud.GudDisplay} — one binding's display functions and protocol
 *       state: device format chosen as the kernel does (the client's format when offered, else
 *       XRGB8888, else the device's first emulation format; FULL_UPDATE devices keep the
 *       XRGB8888 choice). {@link org.paneld.drivers.gud.GudProbe} reads the device at probe (with a
 *       forced connector check: SET_CONNECTOR_FORCE_DETECT first).
 *       {@link org.paneld.drivers.gud.GudFlusher} sends: LZ4 when offered and smaller, pieces of
 *       whole lines up to max_buffer_size, SET_BUFFER + bulk OUT (3 s), one retry unless ENODEV or
 *       EPROTO; FULL_UPDATE devices get the whole frame as bulk transfers of whole USB packets,
 *       with SET_BUFFER only after a failed transfer (include/drm/gud.h), and a device whose
 *       max_buffer_size holds no whole packet is refused at probe.
 *       {@link org.paneld.drivers.gud.GudControl}: STATUS_ON_SET and stalls answered with
 *       GET_STATUS (BUSY → EBUSY, REQUEST_NOT_SUPPORTED → EOPNOTSUPP, PROTOCOL_ERROR → EPROTO,
 *       INVALID_PARAMETER → EINVAL, ERROR → EIO, a stall with status OK → EIO).
 *       {@link org.paneld.drivers.gud.GudConnectorPoller}: connector polling every 10 s when the
 *       connector asks for it (keeps gud-pico's 15 s watchdog fed).</li>
 *   <li>{@link org.paneld.drivers.gud.GudUsbService} — the daemon's USB step: libusb context,
 *       hotplug (or polling), event thread; GUD devices appear on the bus as
 *       {@code gud-<bus>-<port path>}.</li>
 *   <li>{@link org.paneld.drivers.gud.GudProtocol}, {@link org.paneld.drivers.gud.GudFormat} — wire
 *       structs and pixel formats (R1 and XRGB1111 threshold at 128, grey is the current kernel's
 *       BT.601 luma, {@code (77 r + 150 g + 29 b) >> 8}).</li>
 * </ul>
 *
 * <p>Lifetimes: the transport, the connector poll thread and the flush transfer thread live in
 * the device's hardware scope and every transfer enters the device's unplug guard; what
 * {@code info()} reports lives with the device object.
 */
package org.paneld.drivers.gud;
