package org.paneld.drivers.touch;

import java.io.IOException;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.display.TouchCalibration;
import org.paneld.drivers.input.I2cPort;
import org.paneld.drivers.spi.IrqLine;

/**
 * The FT6206 / FT6236 capacitive touch controller on I2C (the kernel's edt-ft5x06.c, Adafruit's
 * FT6206 library): at init the vendor id (0xA8) must read 0x11 and the chip id (0xA3) one of
 * 0x06 (FT6206), 0x36 (FT6236), 0x64 (FT6336); the touch threshold is set and the interrupt put
 * in polling mode (INT low while touched). A read takes TD_STATUS and both points (0x02–0x0E):
 * touch count (low 4 bits, at most 2), per point the event flag (bits 7–6 of XH: 0 down, 1 up,
 * 2 contact), 12-bit X and Y, the touch id (bits 7–4 of YH, the slot) and the weight. The chip
 * reports in pixels of its panel, so the default calibration is the identity. Lifetime: the
 * hardware binding. Threads: the sampling thread.
 */
final class Ft6236 implements TouchChip {
    static final int TD_STATUS = 0x02, TH_GROUP = 0x80, CHIP_ID = 0xA3, G_MODE = 0xA4, VENDOR_ID = 0xA8;
    static final int THRESHOLD = 128;
    static final int PERIOD_MS = 4;

    private final String name;
    private final I2cPort i2c;
    private final IrqLine irq;
    private final Pacing pacing;
    private final byte[] buf = new byte[13];

    Ft6236(String name, I2cPort i2c, IrqLine irq) {
        this.name = name;
        this.i2c = i2c;
        this.irq = irq;
        this.pacing = new Pacing(irq, PERIOD_MS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxContacts() {
        return 2;
    }

    @Override
    public int rawMax() {
        return 4095;
    }

    /** The identity: the chip reports panel pixels. */
    @Override
    public TouchCalibration defaultCalibration(TouchTransform t) {
        return new TouchCalibration(1, 0, 0, 0, 1, 0, 1);
    }

    @Override
    public void init() throws IOException {
        byte[] b = new byte[1];
        i2c.readRegisters(VENDOR_ID, b, 0, 1);
        int vendor = b[0] & 0xFF;
        i2c.readRegisters(CHIP_ID, b, 0, 1);
        int chip = b[0] & 0xFF;
        if (vendor != 0x11 || (chip != 0x06 && chip != 0x36 && chip != 0x64)) {
            throw new DeviceException(Errno.ENODEV, name + " on " + i2c.describe() + ": vendor id 0x"
                    + Integer.toHexString(vendor) + ", chip id 0x" + Integer.toHexString(chip)
                    + " (expected vendor 0x11 and chip 0x06, 0x36 or 0x64: wrong bus or address?)");
        }
        i2c.writeRegister(TH_GROUP, THRESHOLD);
        i2c.writeRegister(G_MODE, 0x00);
    }

    @Override
    public boolean await(boolean touched) throws IOException, InterruptedException {
        return pacing.await(touched);
    }

    @Override
    public int read(Contact[] out) throws IOException {
        i2c.readRegisters(TD_STATUS, buf, 0, buf.length);
        int count = buf[0] & 0x0F;
        if (count > 2) {
            return 0; // 0x0F after power-up and other nonsense: no valid points
        }
        int n = 0;
        for (int i = 0; i < count; i++) {
            int b = 1 + 6 * i;
            int xh = buf[b] & 0xFF, xl = buf[b + 1] & 0xFF, yh = buf[b + 2] & 0xFF, yl = buf[b + 3] & 0xFF;
            int event = xh >> 6;
            if (event == 1) {
                continue; // lifted
            }
            int id = yh >> 4;
            int slot = id <= 1 ? id : i;
            boolean taken = false;
            for (int j = 0; j < n; j++) {
                taken |= out[j].slot == slot;
            }
            if (taken) {
                slot = 1 - slot;
            }
            int weight = buf[b + 4] & 0xFF;
            out[n++].set(slot, (xh & 0x0F) << 8 | xl, (yh & 0x0F) << 8 | yl, weight == 0 ? 255 : weight);
        }
        return n;
    }
}
