package io.prodigy.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store lives on a 1 MiB tmpfs (needs root / CAP_SYS_ADMIN; skipped, visibly, where mounting
 * is not allowed). Writes that do not fit fail with {@link StorageFullException} naming the path, change nothing, and
 * once space is freed the store carries on where it was.
 */
class DiskFullTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path tmp;

    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mount = Files.createDirectory(tmp.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "Skipped: cannot mount a small tmpfs here (needs root)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            Process p = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesThatDoNotFitFailCleanlyAndTheStoreRecoversWhenSpaceIsFreed() throws IOException {
        Path base = mount.resolve("home");
        JobRef job = JobRef.of("r", "j");
        String pad = "x".repeat(20_000);
        try (FileStorage s = new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(base),
                new StorageContext(TestClock.at(T0), null))) {
            PersistedSession session = s.sessions().save(PersistedSession.create("s1", T0));
            long acked = 0;
            Throwable full = null;
            for (int i = 0; i < 200 && full == null; i++) {
                List<NewEvent> batch = List.of(NewEvent.of("big", Json.nodes().objectNode().put("pad", pad)),
                        NewEvent.of("big", Json.nodes().objectNode().put("pad", pad)));
                full = catchThrowable(() -> s.events().append(job, batch));
                if (full == null) {
                    acked += 2;
                }
            }
            assertThat(full).as("the disk filled up").isInstanceOf(StorageFullException.class)
                    .hasMessageContaining(base.toString()).hasMessageContaining("No space left");
            assertThat(acked).isPositive();
            assertThat(s.events().lastSequence(job)).as("the failed append stored nothing").isEqualTo(acked);

            Throwable sessionFull = catchThrowable(() -> s.sessions().updateState("s1", SessionState.COMPLETED));
            if (sessionFull != null) {
                assertThat(sessionFull).isInstanceOf(StorageFullException.class);
                assertThat(s.sessions().load("s1")).as("the old version is intact").contains(session);
            }

            // Free space: drop the job's oldest events.
            assertThat(s.events().purge(job, T0.plusSeconds(1))).isEqualTo(acked);
            try (Stream<EventRecord> none = s.events().query(EventFilter.forJob(job))) {
                assertThat(none).isEmpty();
            }
            assertThat(s.events().append(job, List.of(NewEvent.of("small", null))).firstSequence())
                    .isEqualTo(acked + 1);
            assertThat(s.sessions().updateState("s1", SessionState.COMPLETED).state())
                    .isEqualTo(SessionState.COMPLETED);
        }
    }
}
