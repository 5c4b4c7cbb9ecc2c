/**
 * Sessions (the clients' "fds"): {@link org.paneld.daemon.session.Session} holds a device
 * reference and its buffers; {@link org.paneld.daemon.session.DeviceSessions} groups the sessions
 * of one device object with its owner and its worker thread (the only thread that calls the
 * device's blocking operations for clients, in request order); {@link org.paneld.daemon.session.ClientBuffer}
 * and {@link org.paneld.daemon.session.SharedMemory} are the pixels. Lifetime: session-lifetime
 * objects; a session can outlive the hardware (ENODEV) and keeps the device object alive.
 */
package org.paneld.daemon.session;
