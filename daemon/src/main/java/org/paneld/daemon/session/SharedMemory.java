package org.paneld.daemon.session;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's side of one shared buffer: an unlinked file in a private tmpfs directory, mapped
 * by the daemon, whose fd is passed once to the client. The client may truncate the file at any
 * time: {@link #intact()} checks its size before the daemon reads, and reads that still fault
 * (SIGBUS, turned into {@link InternalError} by the JVM) are caught by the caller. Lifetime: the
 * buffer's (session object); the mapping itself is reclaimed by the GC after {@link #close()}.
 * Threads: created on an event loop, read on the device worker.
 */
public final class SharedMemory implements AutoCloseable {
    private static final AtomicLong NAMES = new AtomicLong();
    private static volatile Path dir;

    private final long size;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private FileDescriptor fd;

    private SharedMemory(long size, FileChannel channel, MappedByteBuffer map, FileDescriptor fd) {
        this.size = size;
        this.channel = channel;
        this.map = map;
        this.fd = fd;
    }

    /** The private directory (0700) for buffer files: /dev/shm when present, else java.io.tmpdir. */
    static synchronized Path directory() throws IOException {
        Path d = dir;
        if (d == null || !Files.isDirectory(d)) {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            d = Files.createTempDirectory(base, "paneld-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            d.toFile().deleteOnExit();
            dir = d;
        }
        return d;
    }

    /**
     * Allocates {@code size} bytes: creates the file (mode 0666 inside the 0700 directory, so that
     * a client of another uid can reopen the passed fd read-write through /proc/self/fd), opens
     * the fd to pass, sizes and maps it, and unlinks it. Nothing stays on disk.
     */
    public static SharedMemory allocate(long size) throws IOException {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shared buffer size out of range: " + size);
        }
        Path file = directory().resolve("buf-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet());
        FileChannel ch = null;
        FileDescriptor fd = null;
        try {
            Files.createFile(file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            fd = FileDescriptor.from(file.toFile()); // O_WRONLY|O_CREAT|O_TRUNC: before sizing
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1); // sets the size (sparse)
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            return new SharedMemory(size, ch, map, fd);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            if (fd != null) {
                fd.close();
            }
            throw e;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public long size() {
        return size;
    }

    /** The mapping (little-endian, absolute access only). */
    public MappedByteBuffer map() {
        return map;
    }

    /** The fd to pass to the client; the caller closes it after sending ({@link #takeFd()}). */
    public synchronized FileDescriptor takeFd() {
        FileDescriptor f = fd;
        fd = null;
        return f;
    }

    /** True when the file still has its full size (the client has not truncated it). */
    public boolean intact() {
        try {
            return channel.size() >= size;
        } catch (IOException e) {
            return false;
        }
    }

    /** Current file size (for messages). */
    public long currentSize() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        FileDescriptor f = takeFd();
        try {
            if (f != null) {
                f.close();
            }
        } catch (IOException e) {
            // already closed
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
