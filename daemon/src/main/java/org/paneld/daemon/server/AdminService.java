package org.paneld.daemon.server;

import java.util.List;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.pixel.RgbImage;

/**
 * The daemon's administrative operations, reached through the ADMIN_* requests of the protocol.
 * Implemented by the daemon (main); the server calls it off the event loop, on its admin thread,
 * one request at a time, and only for peers the access policy lets in (the daemon's own uid and
 * root by default). Lifetime: the daemon's.
 */
public interface AdminService {

    /** One line per live object and binding (e.g. {@code LifecycleTracker.listing()} plus counters). */
    List<String> status();

    /** Binds the device called {@code device}. */
    void bind(String device) throws DeviceException;

    /** Orderly unbind of {@code device}. */
    void unbind(String device) throws DeviceException;

    /** Virtual devices: simulate the cable being pulled (surprise removal). */
    void unplug(String device) throws DeviceException;

    /** Virtual devices: plug the device back in (and bind it). */
    void replug(String device) throws DeviceException;

    /** Virtual devices: what the emulated panel shows (from the emulator, not the client buffer). */
    RgbImage snapshot(String device) throws DeviceException;

    /** An admin service that refuses everything with EOPNOTSUPP (tests, embedded servers). */
    static AdminService unsupported() {
        return new AdminService() {
            private DeviceException no() {
                return new DeviceException(org.paneld.drivers.core.Errno.EOPNOTSUPP, "no admin service in this server");
            }

            @Override
            public List<String> status() {
                return List.of();
            }

            @Override
            public void bind(String device) throws DeviceException {
                throw no();
            }

            @Override
            public void unbind(String device) throws DeviceException {
                throw no();
            }

            @Override
            public void unplug(String device) throws DeviceException {
                throw no();
            }

            @Override
            public void replug(String device) throws DeviceException {
                throw no();
            }

            @Override
            public RgbImage snapshot(String device) throws DeviceException {
                throw no();
            }
        };
    }
}
