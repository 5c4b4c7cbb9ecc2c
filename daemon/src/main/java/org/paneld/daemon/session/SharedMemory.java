package org.paneld.daemon.session;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's side of one shared buffer: an unlinked file in a private tmpfs directory whose fd
 * is passed once to the client, which maps it. The daemon itself never maps it: it reads the
 * damage with {@code pread} ({@link #read}), so a client that truncates or shrinks the file
 * causes a short read (an error for that request), never a SIGBUS in the daemon. {@link #intact()}
 * checks the size first for a clear message. Lifetime: the buffer's (session object).
 * Threads: created on an event loop, read and written on the device worker.
 */
public final class SharedMemory implements AutoCloseable {
    private static final AtomicLong NAMES = new AtomicLong();
    private static volatile Path dir;

    private final long size;
    private final FileChannel channel;
    private FileDescriptor fd;

    private SharedMemory(long size, FileChannel channel, FileDescriptor fd) {
        this.size = size;
        this.channel = channel;
        this.fd = fd;
    }

    /** The private directory (0700) for buffer files: in /dev/shm (tmpfs), else java.io.tmpdir. */
    static synchronized Path directory() throws IOException {
        Path d = dir;
        if (d == null || !Files.isDirectory(d)) {
            IOException failure = null;
            for (String base : new String[] {"/dev/shm", System.getProperty("java.io.tmpdir")}) {
                try {
                    d = Files.createTempDirectory(Path.of(base), "paneld-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    d.toFile().deleteOnExit();
                    dir = d;
                    return d;
                } catch (IOException | UnsupportedOperationException e) {
                    failure = failure == null ? new IOException("no directory for shared buffers: " + base + ": " + e) : failure;
                }
            }
            throw failure;
        }
        return d;
    }

    /**
     * Allocates {@code size} bytes: creates the file (mode 0666 inside the 0700 directory, so that
     * a client of another uid can also reopen the passed fd read-write through /proc/self/fd),
     * opens the fd to pass read-write (its own open file description, so the client's
     * {@code fcntl} flags never touch the daemon's), sizes it, and unlinks it. Nothing stays on disk.
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
            fd = PassedFd.open(file); // O_RDWR: the client maps it PROT_READ|PROT_WRITE, MAP_SHARED
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1); // sets the size (sparse)
            return new SharedMemory(size, ch, fd);
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

    /**
     * Reads {@code dst.remaining()} bytes at {@code position} (pread, no mapping); false when the
     * file ended first (the client shrank it).
     */
    public boolean read(java.nio.ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n <= 0) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    /** Writes {@code src} at {@code position} (pwrite). */
    public void write(java.nio.ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    /** The fd to pass to the client; the caller closes it after sending ({@link #takeFd()}). */
    public synchronized FileDescriptor takeFd() {
        FileDescriptor f = fd;
        fd = null;
        return f;
    }

    /** True while the fd has not been taken for sending. */
    public synchronized boolean hasFd() {
        return fd != null;
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
