package org.paneld.drivers.spi;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/** The DBI bus framing: option 3 D/C levels, option 1 nine-bit packing, the 16-bit shift register, chunking, reads. */
class DbiBusTest {

    private static DbiBus option3(RecordingPort p) {
        return new DbiBus(p, p.dcLine, null, null, DbiBus.Option.D_C_GPIO, false, true, Sleeper.SYSTEM);
    }

    @Test
    void option3CommandIsOneByteWithDcLowThenParametersWithDcHigh() throws Exception {
        RecordingPort p = new RecordingPort(4096);
        DbiBus bus = option3(p);
        bus.command(0x2A, 0x00, 0x10, 0x01, 0x3F);
        bus.command(0x29);
        assertEquals(3, p.transfers.size());
        assertFalse(p.transfers.get(0).dcHigh());
        assertArrayEquals(new byte[] {0x2A}, p.transfers.get(0).bytes());
        assertTrue(p.transfers.get(1).dcHigh());
        assertArrayEquals(new byte[] {0x00, 0x10, 0x01, 0x3F}, p.transfers.get(1).bytes());
        assertFalse(p.transfers.get(2).dcHigh());
        assertArrayEquals(new byte[] {0x29}, p.transfers.get(2).bytes());
    }

    @Test
    void pixelDataIsSplitIntoEvenChunksNoLargerThanTheMaxTransfer() throws Exception {
        RecordingPort p = new RecordingPort(64);
        DbiBus bus = option3(p);
        byte[] data = new byte[1000];
        new Random(1).nextBytes(data);
        bus.writePixels(data, 0, data.length);
        assertArrayEquals(new byte[] {0x2C}, p.transfers.get(0).bytes());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 1; i < p.transfers.size(); i++) {
            RecordingPort.Transfer t = p.transfers.get(i);
            assertTrue(t.dcHigh());
            assertTrue(t.bytes().length <= 64);
            if (i < p.transfers.size() - 1) {
                assertEquals(0, t.bytes().length % 2, "chunk " + i + " is odd");
            }
            got.writeBytes(t.bytes());
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(1 + (1000 + 63) / 64, p.transfers.size());
    }

    @Test
    void oddMaxTransferIsRoundedDownToEven() {
        RecordingPort p = new RecordingPort(4095);
        assertEquals(4094, option3(p).maxData());
    }

    /** Reference encoder: a stream of 9-bit words (D/C first), MSB first, NOP padding to 8 words. */
    private static final class NineBit {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long acc;
        int bits;
        int words;

        void word(boolean dc, int b) {
            acc = acc << 9 | (dc ? 0x100 : 0) | (b & 0xFF);
            bits += 9;
            words++;
            while (bits >= 8) {
                out.write((int) (acc >> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }

        void padToBlock() {
            while (words % 8 != 0) {
                word(false, 0x00);
            }
        }
    }

    @Test
    void option1PacksNineBitWordsWithNopPaddingLikeTheKernel() throws Exception {
        for (int n : new int[] {0, 1, 4, 7, 8, 9, 13, 16, 100, 5000}) {
            RecordingPort p = new RecordingPort(4096);
            DbiBus bus = new DbiBus(p, null, null, null, DbiBus.Option.NINE_BIT, false, false, Sleeper.SYSTEM);
            byte[] params = new byte[n];
            new Random(n).nextBytes(params);
            bus.commandBuf(0xB1, params, 0, n);

            NineBit ref = new NineBit();
            for (int i = 0; i < 7; i++) {
                ref.word(false, 0x00); // a command goes as 7 NOPs and the command in one 9-byte block
            }
            ref.word(false, 0xB1);
            for (byte b : params) {
                ref.word(true, b);
            }
            ref.padToBlock();
            assertArrayEquals(ref.out.toByteArray(), p.all(), "option 1 stream for " + n + " parameters");
            for (RecordingPort.Transfer t : p.transfers) {
                assertEquals(0, t.bytes().length % 9, "transfers are whole 9-byte blocks");
                assertTrue(t.bytes().length <= 4096);
            }
        }
    }

    @Test
    void option1StreamingChunksStayWholeBlocksUntilTheTail() throws Exception {
        RecordingPort p = new RecordingPort(99);
        DbiBus bus = new DbiBus(p, null, null, null, DbiBus.Option.NINE_BIT, false, false, Sleeper.SYSTEM);
        assertEquals(80, bus.maxData(), "10 blocks of 9 bytes (an even number) fit in 99");
        assertEquals(8, bus.dataAlign());
        byte[] px = new byte[250];
        new Random(3).nextBytes(px);
        bus.writeMemoryStart();
        bus.writeData(px, 0, 160);
        bus.writeData(px, 160, 90);
        NineBit ref = new NineBit();
        for (int i = 0; i < 7; i++) {
            ref.word(false, 0);
        }
        ref.word(false, 0x2C);
        for (byte b : px) {
            ref.word(true, b);
        }
        ref.padToBlock();
        assertArrayEquals(ref.out.toByteArray(), p.all());
    }

    @Test
    void shiftRegisterQuirkSendsCommandsAndParametersAsSixteenBitWordsButPixelsAsTheyAre() throws Exception {
        RecordingPort p = new RecordingPort(4096);
        DbiBus bus = new DbiBus(p, p.dcLine, null, null, DbiBus.Option.D_C_GPIO, true, false, Sleeper.SYSTEM);
        bus.command(0x3A, 0x55);
        assertArrayEquals(new byte[] {0x00, 0x3A}, p.transfers.get(0).bytes());
        assertFalse(p.transfers.get(0).dcHigh());
        assertArrayEquals(new byte[] {0x00, 0x55}, p.transfers.get(1).bytes());
        assertTrue(p.transfers.get(1).dcHigh());
        byte[] px = new byte[64];
        new Random(5).nextBytes(px);
        bus.writePixels(px, 0, px.length);
        assertArrayEquals(new byte[] {0x00, 0x2C}, p.transfers.get(2).bytes());
        assertArrayEquals(px, p.transfers.get(3).bytes());
        DeviceException e = assertThrows(DeviceException.class, () -> bus.read(0x0A, 1));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
    }

    @Test
    void readSendsTheCommandWithDcLowAndShiftsTheDummyBitForDisplayId() throws Exception {
        RecordingPort p = new RecordingPort(4096);
        DbiBus bus = option3(p);
        p.readAnswer = new byte[] {(byte) 0x9C};
        assertArrayEquals(new byte[] {(byte) 0x9C}, bus.read(0x0A, 1));
        assertFalse(p.transfers.get(0).dcHigh());
        assertEquals(0x0A, p.transfers.get(0).bytes()[0]);
        assertTrue(bus.displayIsOn());
        p.readAnswer = new byte[] {0x08};
        assertFalse(bus.displayIsOn());
        // 0x04 starts with a dummy clock: 3 bytes come shifted by one bit in 4
        p.readAnswer = new byte[] {0x01, 0x02, 0x03, (byte) 0x80};
        assertArrayEquals(new byte[] {0x02, 0x04, 0x07}, bus.read(0x04, 3));
        assertThrows(DeviceException.class, () -> bus.read(0x04, 2));
    }

    @Test
    void dcLevelIsDrivenAgainAfterResync() throws Exception {
        int[] sets = {0};
        RecordingPort p = new RecordingPort(4096);
        GpioOutput counting = new GpioOutput() {
            @Override
            public void set(boolean high) {
                sets[0]++;
                p.dc = high;
            }

            @Override
            public String describe() {
                return "dc";
            }
        };
        DbiBus bus = new DbiBus(p, counting, null, null, DbiBus.Option.D_C_GPIO, false, true, Sleeper.SYSTEM);
        bus.command(0x29);
        bus.command(0x29);
        assertEquals(1, sets[0]);
        bus.resync();
        bus.command(0x29);
        assertEquals(2, sets[0]);
    }

    @Test
    void hardResetPulsesLowThenWaitsThroughTheSleeper() throws Exception {
        RecordingPort p = new RecordingPort(4096);
        StringBuilder log = new StringBuilder();
        GpioOutput reset = new GpioOutput() {
            @Override
            public void set(boolean high) {
                log.append(high ? "H " : "L ");
            }

            @Override
            public String describe() {
                return "reset";
            }
        };
        Sleeper rec = us -> log.append(us).append("us ");
        DbiBus bus = new DbiBus(p, p.dcLine, reset, null, DbiBus.Option.D_C_GPIO, false, true, rec);
        bus.hardReset();
        assertEquals("L 20us H 120000us ", log.toString());
    }
}
