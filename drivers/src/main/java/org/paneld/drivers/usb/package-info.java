/**
 * USB behind a small interface of ours: {@link org.paneld.drivers.usb.UsbTransport} (vendor
 * control requests to one interface, bulk OUT, errors as errnos), its usb4java implementation
 * ({@link org.paneld.drivers.usb.Usb4JavaDevice} opens, {@link org.paneld.drivers.usb.Usb4JavaTransport}
 * transfers), and the hotplug add/remove path ({@link org.paneld.drivers.usb.UsbHotplug}) shared
 * by the usb4java service and the virtual hotplug source.
 *
 * <p>Rule: a closed libusb handle can crash the JVM, so every libusb call on a device handle is
 * made inside the device's unplug guard (the transport enters it itself), and the handle is
 * closed only by the hardware scope's release, after unplug drained. After unplug returns no
 * libusb call on that device can start. On JDK 24+ run the JVM with
 * {@code --enable-native-access=ALL-UNNAMED} (usb4java and lz4-java load JNI libraries).
 */
package org.paneld.drivers.usb;
