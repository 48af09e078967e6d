package io.prodigy.storage.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes this process has read through {@code read(2)}-family calls, from {@code /proc/self/io} ({@code rchar}). It
 * counts page-cache hits too, so it measures how much of a file a query touches, not how much the disk delivered.
 * Linux only; elsewhere {@link #available()} is false.
 */
public final class ProcIo {

    private static final Path PROC_SELF_IO = Path.of("/proc/self/io");

    private ProcIo() {}

    public static boolean available() {
        return Files.isReadable(PROC_SELF_IO);
    }

    /** The current {@code rchar} counter, or -1 where {@code /proc/self/io} does not exist. */
    public static long readChars() {
        try {
            for (String line : Files.readAllLines(PROC_SELF_IO)) {
                if (line.startsWith("rchar:")) {
                    return Long.parseLong(line.substring("rchar:".length()).trim());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
