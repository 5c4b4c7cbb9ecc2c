package org.paneld.daemon.config;

import java.util.List;
import org.paneld.drivers.core.DeviceConfig;

/**
 * One {@code [[panel]]} table of the config, validated: its position (1-based), name, driver
 * (as written, may be an alias), backend, the {@link DeviceConfig} handed to the driver (the
 * whole table minus the daemon's own access keys) and the access lists. Immutable; any thread.
 *
 * @param allowUids  uids allowed to open it besides the daemon's uid and root (empty: no list)
 * @param allowGids  gids allowed likewise
 */
public record PanelConfig(int index, String name, String driver, Backend backend, DeviceConfig device,
                          List<Integer> allowUids, List<Integer> allowGids) {
    public PanelConfig {
        allowUids = List.copyOf(allowUids);
        allowGids = List.copyOf(allowGids);
    }

    /** True when an access list was configured for this panel. */
    public boolean restricted() {
        return !allowUids.isEmpty() || !allowGids.isEmpty();
    }
}
