package io.prodigy.storage.support.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process as lock owners describe it for humans: {@code pid 4711 on build-7}. */
public final class ThisProcess {

    /** This process's id. */
    public static final long PID = ProcessHandle.current().pid();

    /** This host's name: the kernel's host name where readable, else the resolver's, else {@code unknown}. */
    public static final String HOST = hostName();

    private ThisProcess() {}

    /** {@code pid <pid> on <host>}. */
    public static String describe() {
        return "pid " + PID + " on " + HOST;
    }

    private static String hostName() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                String h = Files.readString(p).strip();
                if (!h.isEmpty()) {
                    return h;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
