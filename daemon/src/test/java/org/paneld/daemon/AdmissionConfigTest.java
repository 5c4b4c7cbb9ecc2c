package org.paneld.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paneld.daemon.config.ServerConfig;
import org.paneld.daemon.server.Admission;
import org.paneld.drivers.core.ConfigException;

/** The lock-out keys of [server.limits]: read, defaulted, validated with the key named. */
class AdmissionConfigTest {
    static ServerConfig with(Map<String, Long> limits) {
        return new ServerConfig(null, 0660, null, null, 0, false, limits);
    }

    @Test
    void keysAreReadBesideTheOtherLimits() throws Exception {
        ServerConfig s = with(Map.of("hello_timeout_ms", 2500L, "max_connections_per_uid", 4L, "admin_reserved_connections", 2L,
                "max_connections", 10L));
        assertEquals(new Admission(2500, 4, 2), ServerLimits.admission(s));
        assertEquals(10, ServerLimits.limits(s).maxConnections());
        assertEquals(Admission.defaults(), ServerLimits.admission(with(Map.of())));
    }

    @Test
    void badValuesNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerLimits.limits(with(Map.of("hello_timeout_ms", 50L))));
        assertEquals("[server.limits]: key 'hello_timeout_ms': must be from 100 to 600000 (milliseconds), got 50", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.admission(with(Map.of("hello_timeout_ms", 600_001L))));
        assertTrue(e.getMessage().startsWith("[server.limits]: key 'hello_timeout_ms': must be from 100"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(with(Map.of("admin_reserved_connections", 5000L))));
        assertEquals("[server.limits]: key 'admin_reserved_connections': must be from 1 to 1024, got 5000", e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(with(Map.of("max_connections_per_uid", 1L << 40))));
        assertTrue(e.getMessage().startsWith("[server.limits]: key 'max_connections_per_uid': must be at most"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(with(Map.of("hello_timeout", 5L))));
        assertTrue(e.getMessage().contains("unknown key [hello_timeout]") && e.getMessage().contains("hello_timeout_ms, max_connections_per_uid,"
                + " admin_reserved_connections"), e.getMessage());
    }
}
