package org.paneld.drivers.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.pixel.Rect;

/** A test driver that records every call in order and can be told to block or fail. */
final class RecordingDriver implements Driver {
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile boolean failProbe;
    volatile CountDownLatch flushEntered;
    volatile CountDownLatch flushRelease;
    volatile boolean flushReportsGone;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public Display probe(Device device) throws Exception {
        log.add("probe " + device.id());
        device.hardware().add("spi", () -> log.add("release spi " + device.id()));
        device.hardware().add("gpio", () -> log.add("release gpio " + device.id()));
        device.objects().add("modes", () -> log.add("release modes " + device.id()));
        if (failProbe) {
            throw new DeviceException(Errno.EIO, "controller did not answer");
        }
        return new Display() {
            @Override
            public DisplayInfo info() {
                return new DisplayInfo("recording", 8, 8, 0, 0, List.of(PixelFormat.XRGB8888), "RGB565", 0,
                        List.of(), true, "fast");
            }

            @Override
            public void enable() {
                log.add("enable " + device.id());
            }

            @Override
            public void disable() {
                log.add("disable " + device.id());
            }

            @Override
            public void flush(Framebuffer source, Rect damage) throws java.io.IOException {
                log.add("flush " + device.id());
                CountDownLatch entered = flushEntered;
                if (entered != null) {
                    entered.countDown();
                    try {
                        flushRelease.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (flushReportsGone) {
                    throw new NoDeviceException("usb transfer: no device", null);
                }
            }

            @Override
            public void setProperty(String name, long value) {
                log.add("property " + name + "=" + value);
            }

            @Override
            public void release() {
                log.add("driver release " + device.id());
            }
        };
    }
}
