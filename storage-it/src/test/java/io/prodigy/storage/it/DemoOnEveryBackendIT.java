package io.prodigy.storage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's main job, the MapReduce demo, unchanged on every backend: the built CLI jar in a child process with
 * {@code --storage-url} selecting the backend. The demo verifies its own outcome from storage (no item done twice,
 * every item completed or dead-lettered, a stale fencing token rejected) and exits non-zero when that fails; here the
 * exit code, those lines, and (for the backends that keep data) the jobs found afterwards in the store are checked.
 */
class DemoOnEveryBackendIT {

    private static final int JOBS = 2;
    private static final Pattern DONE = Pattern.compile("  done    (\\d+) events, \\d+ items? left in the DLQ;"
            + " verified: no item done twice, every item accounted for");

    @TempDir
    Path tmp;

    /** The slowest first, so that it overlaps the others. */
    static Stream<Backend> slowestFirst() {
        return Stream.of(Backend.S3, Backend.POSTGRES, Backend.FILE, Backend.REDIS, Backend.MEMORY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slowestFirst")
    @Execution(ExecutionMode.CONCURRENT)
    void theDemoRunsAndVerifiesItselfOn(Backend backend) throws Exception {
        try (TestStore store = backend.fresh("demo")) {
            Path project = Files.createDirectories(tmp.resolve(backend.label()).resolve("wordcount"));
            long started = System.nanoTime();
            CliProcess.Result run = CliProcess.start(project, store.childEnvironment(), null,
                    "--storage-url", store.url(), "demo", "--jobs", String.valueOf(JOBS), "--seed", "7").await(240);
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).as(run.toString()).contains(
                    "storage: " + backend.label() + " backend at ", "repository 'wordcount'",
                    "  crash   simulated coordinator crash", "  resume  from checkpoint",
                    "stale-token write rejected", "Summary");
            Matcher done = DONE.matcher(run.out());
            long verifiedJobs = 0;
            long events = 0;
            while (done.find()) {
                verifiedJobs++;
                events += Long.parseLong(done.group(1));
            }
            assertThat(verifiedJobs).as(run.toString()).isEqualTo(JOBS);
            assertThat(run.err()).as(run.toString()).doesNotContain("Exception", "ERROR");
            System.out.printf("demo on %-8s %d jobs, %d events, verified, %.1f s%n", backend.label(), JOBS, events,
                    millis / 1000.0);

            if (backend != Backend.MEMORY) { // a memory store ends with its process
                UnifiedStorage stored = store.open();
                List<JobRef> jobs = stored.events().listJobs("wordcount");
                assertThat(jobs).hasSize(JOBS);
                long storedEvents = jobs.stream().mapToLong(j -> stored.events().aggregate(j).totalEvents()).sum();
                assertThat(storedEvents).isEqualTo(events);
                for (JobRef job : jobs) {
                    try (Stream<?> completed = stored.events().query(EventFilter.forJob(job)
                            .withEventType("job_completed"))) {
                        assertThat(completed.count()).as("job_completed of " + job).isEqualTo(1);
                    }
                }
            }
        }
    }
}
