package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four JVMs, each with its own pool, append 2,500 events each to one job and claim from one 300-item DLQ at the same
 * time: exactly 10,000 events with sequences 1..10,000, and every item claimed by exactly one process.
 */
class PgMultiProcessTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    static final int PROCESSES = 4;
    static final int EVENTS_PER_PROCESS = 2_500;
    static final int ITEMS = 300;
    static final JobRef JOB = JobRef.of("mp-repo", "events");
    static final JobRef QUEUE = JobRef.of("mp-repo", "queue");

    @TempDir
    Path dir;

    @Test
    void fourProcessesAppendAndClaimWithoutGapsOrDoubleClaims() throws Exception {
        UnifiedStorage s = PG.open(StorageContext.withoutProject());
        for (int i = 0; i < ITEMS; i++) {
            s.dlq().add(QUEUE, DlqFailure.of(String.format("item-%03d", i), Json.nodes().objectNode(), "boom"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            Path out = dir.resolve("worker-" + p + ".txt");
            outputs.add(out);
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Worker.class.getName(), PgTestServer.get().url, PgTestServer.get().user,
                    PgTestServer.get().password, PG.schema(), Integer.toString(p), out.toString());
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + p + ".log").toFile());
            processes.add(pb.start());
        }
        for (int p = 0; p < PROCESSES; p++) {
            assertThat(processes.get(p).waitFor(180, TimeUnit.SECONDS)).as("worker %d finished", p).isTrue();
            assertThat(processes.get(p).exitValue()).as("worker %d exit code; log:%n%s", p,
                    Files.readString(dir.resolve("worker-" + p + ".log"))).isZero();
        }

        List<EventRecord> events;
        try (Stream<EventRecord> stream = s.events().query(EventFilter.forJob(JOB))) {
            events = stream.toList();
        }
        assertThat(events).hasSize(PROCESSES * EVENTS_PER_PROCESS);
        assertThat(events.stream().mapToLong(EventRecord::sequence).toArray())
                .containsExactly(LongStream.rangeClosed(1, PROCESSES * EVENTS_PER_PROCESS).toArray());
        assertThat(events.stream().map(EventRecord::id).collect(Collectors.toSet()))
                .hasSize(PROCESSES * EVENTS_PER_PROCESS);

        List<String> claimed = new ArrayList<>();
        for (Path out : outputs) {
            claimed.addAll(Files.readAllLines(out));
        }
        Set<String> distinct = new HashSet<>(claimed);
        assertThat(claimed).as("claims across all processes").hasSize(ITEMS);
        assertThat(distinct).as("no item claimed twice").hasSize(ITEMS);
        assertThat(s.dlq().list(DlqFilter.forJob(QUEUE))).isEmpty();
        System.out.printf("multi-process: %d events, sequences 1..%d, %d items claimed once each; per process %s%n",
                events.size(), events.size(), distinct.size(), outputs.stream().map(o -> {
                    try {
                        return Integer.toString(Files.readAllLines(o).size());
                    } catch (java.io.IOException e) {
                        return "?";
                    }
                }).toList());
    }

    /** One process: appends its events while it claims, records every item it claimed (one per line). */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            String url = args[0];
            String user = args[1];
            String password = args[2];
            String schema = args[3];
            String name = "p" + args[4];
            File out = new File(args[5]);
            Map<String, Object> config = new java.util.LinkedHashMap<>(Map.of("url", url, "username", user,
                    "schema", schema, "migrations", "validate"));
            if (!password.isEmpty()) {
                config.put("password", password);
            }
            StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
                    .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("postgres")).findFirst()
                    .orElseThrow();
            try (UnifiedStorage s = provider.open(StorageConfig.forBackend("postgres").withBackendConfig(config)
                    .withTimeout(Duration.ofSeconds(30)), StorageContext.withoutProject())) {
                Workload w = new Workload();
                Thread appender = new Thread(() -> w.append(s, JOB, name, EVENTS_PER_PROCESS / 25, 25));
                appender.start();
                List<String> mine = new ArrayList<>();
                while (true) {
                    var got = w.retrying(() -> s.dlq().claim(QUEUE, name, 3, Duration.ofMinutes(5)));
                    if (got.isEmpty()) {
                        break;
                    }
                    for (var item : got) {
                        mine.add(item.itemId());
                        w.retrying(() -> s.dlq().remove(QUEUE, item.itemId(), item.claim().token()));
                    }
                }
                appender.join();
                Files.write(out.toPath(), mine);
                if (!w.fatal.isEmpty()) {
                    w.fatal.forEach(Throwable::printStackTrace);
                    System.exit(2);
                }
            }
        }
    }
}
