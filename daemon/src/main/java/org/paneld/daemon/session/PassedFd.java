package org.paneld.daemon.session;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The descriptor of a shared buffer's file as it is passed to the client: opened read-write
 * ({@code O_RDWR}), so that the client can {@code mmap(PROT_READ|PROT_WRITE, MAP_SHARED)} it
 * directly (Netty's {@link FileDescriptor#from} opens write-only). The JDK opens it (a
 * {@link FileChannel}); its number is found in {@code /proc/self/fd} by the file's path, while
 * the file still has its unique name and no other descriptor of it is open. {@link #close()}
 * closes the channel, which owns the descriptor. Lifetime: from allocation until sent (or the
 * buffer's end). Threads: any.
 */
final class PassedFd extends FileDescriptor {
    private final FileChannel owner;

    private PassedFd(int fd, FileChannel owner) {
        super(fd);
        this.owner = owner;
    }

    /**
     * Opens {@code file} read-write; no other descriptor of {@code file} may be open. Costs a few
     * microseconds per descriptor of the process below the new one (readlink in /proc/self/fd).
     */
    static PassedFd open(Path file) throws IOException {
        String target = file.toRealPath().toString();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            int found = -1;
            // procfs lists descriptors in ascending order and open(2) takes the lowest free number,
            // so the search usually ends early; the file's name is unique and nobody else opens it
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path p : fds) {
                    String link;
                    try {
                        link = Files.readSymbolicLink(p).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile (another thread's descriptor)
                    }
                    if (link.equals(target)) {
                        found = Integer.parseInt(p.getFileName().toString());
                        break;
                    }
                }
            }
            if (found < 0) {
                throw new IOException("the descriptor of " + target + " is not in /proc/self/fd");
            }
            return new PassedFd(found, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Closes the descriptor (through the channel that owns it); idempotent. */
    @Override
    public void close() throws IOException {
        markClosed();
        owner.close();
    }

    @Override
    public boolean isOpen() {
        return owner.isOpen();
    }
}
