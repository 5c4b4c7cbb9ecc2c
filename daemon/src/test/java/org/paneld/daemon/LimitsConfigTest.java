package org.paneld.daemon;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paneld.daemon.config.ServerConfig;
import org.paneld.daemon.server.Limits;
import org.paneld.daemon.server.MemoryBudget;
import org.paneld.drivers.core.ConfigException;

/** [server.limits] against the memory budget: defaults follow the budget, limits that do not fit are refused naming the key. */
class LimitsConfigTest {
    static ServerConfig limits(Map<String, Long> l) {
        return new ServerConfig(null, 0660, null, null, 0, false, l);
    }

    @Test
    void defaultsAreDerivedFromTheBudgetAndFitIt() throws Exception {
        Limits l = ServerLimits.limits(limits(Map.of("memory_budget_bytes", 24L << 20)));
        long avail = (24L << 20) - 256 * MemoryBudget.PER_CONNECTION;
        assertEquals(24L << 20, l.memoryBudgetBytes());
        assertEquals(avail, l.maxBufferBytes());
        assertEquals(avail, l.maxBufferBytesPerConnection());
        assertEquals(avail / 8, l.maxPendingBytesPerConnection());
        assertEquals(16 << 20, l.maxFrameBytes());
        Limits d = ServerLimits.limits(limits(Map.of()));
        assertEquals(MemoryBudget.derivedTotal(), d.memoryBudgetBytes());
    }

    @Test
    void aLimitBeyondTheBudgetIsAConfigErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerLimits.limits(limits(Map.of(
                "memory_budget_bytes", 8L << 20, "max_buffer_bytes_per_connection", 16L << 20))));
        assertTrue(e.getMessage().startsWith("[server.limits]: max_buffer_bytes_per_connection = 16777216 does not fit"
                + " memory_budget_bytes = 8388608"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(limits(Map.of(
                "memory_budget_bytes", 8L << 20, "max_pending_bytes_per_connection", 4L << 20))));
        assertTrue(e.getMessage().contains("max_pending_bytes_per_connection = 4194304 does not fit"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(limits(Map.of("memory_budget_bytes", 1L << 50))));
        assertTrue(e.getMessage().contains("memory_budget_bytes = " + (1L << 50) + " is more than this JVM can hold"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerLimits.limits(limits(Map.of("memory_budget_bytes", 2L << 20))));
        assertTrue(e.getMessage().contains("max_connections = 256 does not fit memory_budget_bytes = 2097152"), e.getMessage());
    }
}
