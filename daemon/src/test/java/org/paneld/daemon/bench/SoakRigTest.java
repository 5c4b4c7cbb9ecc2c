package org.paneld.daemon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The soak rig's reading of {@code jcmd PID GC.heap_info} (real outputs of JDK 17). */
class SoakRigTest {

    @Test
    void serialHeapIsYoungPlusTenuredNotMetaspace() {
        String out = """
                12191:
                 def new generation   total 14784K, used 2397K [0x00000000fd000000, 0x00000000fe000000, 0x00000000fe000000)
                  eden space 13184K,   6% used [0x00000000fd000000, 0x00000000fd0c7628, 0x00000000fdce0000)
                  from space 1600K, 100% used [0x00000000fde70000, 0x00000000fe000000, 0x00000000fe000000)
                  to   space 1600K,   0% used [0x00000000fdce0000, 0x00000000fdce0000, 0x00000000fde70000)
                 tenured generation   total 32768K, used 2101K [0x00000000fe000000, 0x0000000100000000, 0x0000000100000000)
                   the space 32768K,   6% used [0x00000000fe000000, 0x00000000fe20d4a0, 0x00000000fe20d600, 0x0000000100000000)
                 Metaspace       used 8925K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        assertEquals(2397 + 2101, SoakRig.heapUsedKb(out));
    }

    @Test
    void g1HeapIsTheOneLine() {
        String out = """
                12352:
                 garbage-first heap   total 49152K, used 7642K [0x00000000fd000000, 0x0000000100000000)
                  region size 1024K, 5 young (5120K), 1 survivors (1024K)
                 Metaspace       used 8931K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        assertEquals(7642, SoakRig.heapUsedKb(out));
    }

    @Test
    void outputWithoutHeapFiguresIsAnErrorNotZero() {
        assertThrows(IllegalStateException.class, () -> SoakRig.heapUsedKb("12352:\nCould not attach\n"));
    }
}
