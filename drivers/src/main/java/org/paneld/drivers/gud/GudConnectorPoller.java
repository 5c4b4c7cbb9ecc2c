package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector status poll of one GUD binding: GET_CONNECTOR_STATUS every poll interval for
 * connectors that ask for it (what also keeps gud-pico's 15 s watchdog fed), and the forced check
 * at probe (SET_CONNECTOR_FORCE_DETECT first, as the kernel's gud_connector_detect with force).
 * Lifetime: its thread lives in the device's hardware scope and is stopped there.
 */
final class GudConnectorPoller {
    private static final Logger LOG = LoggerFactory.getLogger(GudConnectorPoller.class);

    /** Where the poll reports (the display's connector state and counters). */
    interface Listener {
        void connectorStatus(boolean connected, boolean changed);
    }

    private final Device device;
    private final GudControl control;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean stop;

    GudConnectorPoller(Device device, GudControl control, Listener listener) {
        this.device = device;
        this.control = control;
        this.listener = listener;
    }

    /**
     * A forced status check: SET_CONNECTOR_FORCE_DETECT, then GET_CONNECTOR_STATUS; true when
     * connected. A device that refuses the force detect (but is there) is still asked for its status.
     */
    static boolean forcedCheck(Device device, GudControl control) throws IOException {
        try {
            control.set(REQ_SET_CONNECTOR_FORCE_DETECT, 0, null, 0);
        } catch (NoDeviceException e) {
            throw e;
        } catch (DeviceException e) {
            LOG.debug("{}: SET_CONNECTOR_FORCE_DETECT failed: {}", device.id(), e.getMessage());
        }
        byte[] b = new byte[1];
        int n = control.get(REQ_GET_CONNECTOR_STATUS, 0, b, 1);
        return n == 1 && (b[0] & CONNECTOR_STATUS_CONNECTED_MASK) == CONNECTOR_STATUS_CONNECTED;
    }

    void start(Duration interval) {
        Thread t = new Thread(() -> loop(interval.toNanos()), "gud-poll-" + device.id());
        t.setDaemon(true);
        // The poll thread talks to hardware: it lives in the hardware scope and is stopped there.
        device.hardware().add("stop connector poll thread of " + device.id(), () -> {
            lock.lock();
            try {
                stop = true;
                wake.signalAll();
            } finally {
                lock.unlock();
            }
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                LOG.warn("{}: connector poll thread did not stop within 10 s", device.id());
            }
        });
        t.start();
    }

    private void loop(long periodNanos) {
        while (true) {
            lock.lock();
            try {
                long left = periodNanos;
                while (!stop && left > 0) {
                    left = wake.awaitNanos(left);
                }
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                poll();
            } catch (NoDeviceException e) {
                device.reportGone("connector poll: " + e.getMessage()); // harmless when already unplugging
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: connector poll failed: {}", device.id(), e.toString());
            }
        }
    }

    /** GET_CONNECTOR_STATUS once (not forced, as the kernel's poll). Runs inside the guard. */
    void poll() throws IOException {
        device.guard().enter();
        try {
            byte[] b = new byte[1];
            int n = control.get(REQ_GET_CONNECTOR_STATUS, 0, b, 1);
            if (n != 1) {
                throw new DeviceException(Errno.EPROTO, "GET_CONNECTOR_STATUS returned " + n + " bytes");
            }
            listener.connectorStatus((b[0] & CONNECTOR_STATUS_CONNECTED_MASK) == CONNECTOR_STATUS_CONNECTED,
                    (b[0] & CONNECTOR_STATUS_CHANGED) != 0);
        } finally {
            device.guard().exit();
        }
    }
}
