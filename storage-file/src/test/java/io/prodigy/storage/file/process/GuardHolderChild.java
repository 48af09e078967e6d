package io.prodigy.storage.file.process;

import io.prodigy.storage.file.io.GuardFiles;
import java.nio.file.Path;

/**
 * Child JVM for {@link GuardDeadlineTest}: takes the guard file {@code args[0]} with an OS lock, prints READY, and
 * holds it until it is killed.
 */
public final class GuardHolderChild {

    private GuardHolderChild() {}

    public static void main(String[] args) throws Exception {
        try (GuardFiles.Guard held = GuardFiles.acquire(Path.of(args[0]), true, false)) {
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
