package org.paneld.drivers.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A test SPI port and D/C line that record each transfer with the D/C level it went out with.
 * Test scope; one thread.
 */
final class RecordingPort implements SpiPort {
    /** One transfer. */
    record Transfer(boolean dcHigh, byte[] bytes) {
    }

    final List<Transfer> transfers = new ArrayList<>();
    final int max;
    boolean dc;
    byte[] readAnswer = new byte[0];
    final GpioOutput dcLine = new GpioOutput() {
        @Override
        public void set(boolean high) {
            dc = high;
        }

        @Override
        public String describe() {
            return "test dc";
        }
    };

    RecordingPort(int max) {
        this.max = max;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        if (len > max) {
            throw new IOException("transfer of " + len + " exceeds " + max);
        }
        transfers.add(new Transfer(dc, java.util.Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void transfer(byte[] tx, byte[] rx, int len) {
        transfers.add(new Transfer(dc, java.util.Arrays.copyOf(tx, len)));
        for (int i = 1; i < len && i - 1 < readAnswer.length; i++) {
            rx[i] = readAnswer[i - 1];
        }
    }

    @Override
    public int maxTransfer() {
        return max;
    }

    @Override
    public int speedHz() {
        return 1_000_000;
    }

    @Override
    public String describe() {
        return "test port";
    }

    byte[] all() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Transfer t : transfers) {
            out.writeBytes(t.bytes());
        }
        return out.toByteArray();
    }
}
