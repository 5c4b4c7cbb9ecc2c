package org.paneld.drivers.gud;

import java.time.Duration;

/**
 * Host-side settings of one GUD binding. Immutable; any thread.
 *
 * @param useCompression  send LZ4 when the device offers it and it shrinks the data
 * @param pollInterval    connector status polling period for connectors that ask for it (10 s, as the kernel)
 * @param controlTimeoutMs control request timeout (the kernel's USB_CTRL_GET_TIMEOUT, 5 s)
 * @param bulkTimeoutMs   bulk OUT timeout (3 s, as gud_pipe.c)
 */
public record GudOptions(boolean useCompression, Duration pollInterval, int controlTimeoutMs, int bulkTimeoutMs) {
    public static final GudOptions DEFAULT = new GudOptions(true, Duration.ofSeconds(10), 5000, 3000);

    public GudOptions withPollInterval(Duration d) {
        return new GudOptions(useCompression, d, controlTimeoutMs, bulkTimeoutMs);
    }

    public GudOptions withCompression(boolean on) {
        return new GudOptions(on, pollInterval, controlTimeoutMs, bulkTimeoutMs);
    }
}
