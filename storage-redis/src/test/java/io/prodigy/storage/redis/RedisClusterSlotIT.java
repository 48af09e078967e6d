package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What a Redis Cluster needs from the backend, proved on every operation: every key each script receives, and every
 * key any command touches (inside a script too: an item key a claim derives from the prefix, an index entry a save
 * moves), hashes to the slot of the store's hash tag {@code {prefix}}. A cluster runs a script only if its keys are in
 * one slot, and lets a script touch only keys of a slot its node serves, so this is the condition for every script
 * to run there (docs/redis.md says what else a cluster would need).
 *
 * <p>How: the test starts its own {@code redis-server} (nobody else's commands), records every command with
 * {@code MONITOR} (which also shows the commands scripts run) while one store runs every operation, asks the server
 * for each recorded command's keys ({@code COMMAND GETKEYS}: the server's own key positions, not ours) and computes
 * their slots with Jedis' CRC16. It also checks that every script of {@link Script} ran, so a new script cannot escape.
 */
class RedisClusterSlotIT {

    @TempDir
    Path dir;

    @Test
    void everyKeyOfEveryOperationAndEveryScriptIsInTheSlotOfTheStoresHashTag() throws Exception {
        String prefix = "slots:" + Long.toHexString(System.nanoTime()) + ":";
        int slot = JedisClusterCRC16.getSlot("{" + prefix + "}");
        List<String> recorded;
        try (RedisProcess server = RedisProcess.start(dir)) {
            recorded = recordWhile(server.url(), () -> everyOperation(server.url(), prefix));
            try (Jedis redis = new Jedis(URI.create(server.url()))) {
                Map<String, List<String>> keysByCommand = new LinkedHashMap<>();
                Set<String> scriptsRun = new HashSet<>();
                for (String line : recorded) {
                    List<String> command = parse(line);
                    if (command.isEmpty()) {
                        continue;
                    }
                    if (command.get(0).equalsIgnoreCase("EVALSHA")) {
                        scriptsRun.add(command.get(1).toLowerCase(Locale.ROOT));
                    }
                    keysByCommand.computeIfAbsent(String.join(" ", command), c -> keysOf(redis, command));
                }
                List<String> keyed = keysByCommand.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                        .map(Map.Entry::getKey).toList();
                assertThat(keyed).as("commands with keys recorded").hasSizeGreaterThan(50);
                keysByCommand.forEach((command, keys) -> assertThat(keys).as("keys of %s", command)
                        .allSatisfy(key -> assertThat(JedisClusterCRC16.getSlot(key))
                                .as("slot of key %s", key).isEqualTo(slot)));
                assertThat(scriptsRun).as("scripts run by the operations").containsAll(
                        Arrays.stream(Script.values()).map(Script::sha).toList());
                assertThat(keysByCommand.keySet()).as("commands run inside scripts")
                        .anyMatch(c -> c.startsWith("HSET {" + prefix + "}d/"));
            }
        }
    }

    /** One store on {@code url} runs every operation of every store and the lock service (each script at least once). */
    private static void everyOperation(String url, String prefix) {
        StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", url)
                .withBackendOption("key_prefix", prefix).withBackendOption("poll_interval", "200ms");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        JobRef job = JobRef.of("repo", "job-1");
        try (UnifiedStorage s = RedisTestServer.open(config, StorageContext.withoutProject())) {
            LockLease lease = s.locks().tryAcquire("lock-1", Duration.ofMinutes(1)).orElseThrow();
            lease = s.locks().extend(lease, Duration.ofMinutes(2));
            s.locks().current("lock-1");
            s.locks().list(PageRequest.first(10));

            PersistedSession session = s.sessions().save(PersistedSession.create("s1", t).withWorktreeName("wt"),
                    lease.fence());
            s.sessions().updateState("s1", SessionState.IN_PROGRESS, lease.fence());
            s.sessions().load("s1");
            s.sessions().list(SessionFilter.ALL, PageRequest.first(10));

            s.events().append(job, List.of(NewEvent.of("a_started", null), NewEvent.of("a_completed", null)),
                    lease.fence());
            s.events().lastSequence(job);
            s.events().aggregate(job);
            try (var events = s.events().query(EventFilter.forJob(job))) {
                assertThat(events.count()).isEqualTo(2);
            }
            s.events().listJobs(null, PageRequest.first(10));
            s.events().purge(job, t.plusSeconds(3_600 * 24 * 365 * 10L), lease.fence());
            s.events().append(job, List.of(NewEvent.of("b_started", null)), lease.fence());

            CheckpointScope scope = CheckpointScope.job(job);
            s.checkpoints().save(Checkpoint.job("c1", job, CheckpointKind.MAP, 1, t, 0, null), lease.fence());
            s.checkpoints().save(Checkpoint.job("c2", job, CheckpointKind.REDUCE, 1, t.plusSeconds(1), 0, null));
            s.checkpoints().latest(scope);
            s.checkpoints().latest(scope, CheckpointKind.MAP);
            s.checkpoints().list(CheckpointFilter.forScope(scope), PageRequest.first(10));
            s.checkpoints().delete(scope, "c2", lease.fence());

            s.dlq().add(job, DlqFailure.of("item-1", null, "boom"), lease.fence());
            s.dlq().add(job, DlqFailure.of("item-2", null, "boom"));
            s.dlq().add(job, DlqFailure.of("item-3", null, "boom"));
            List<DlqItem> claimed = s.dlq().claim(job, "w", 3, Duration.ofMinutes(1), lease.fence());
            s.dlq().extendClaim(job, "item-1", claimed.get(0).claim().token(), Duration.ofMinutes(2));
            s.dlq().release(job, "item-1", claimed.get(0).claim().token(), "failed again", lease.fence());
            s.dlq().release(job, "item-2", claimed.get(1).claim().token(), null, lease.fence());
            s.dlq().remove(job, "item-3", claimed.get(2).claim().token(), lease.fence());
            s.dlq().get(job, "item-1");
            s.dlq().list(DlqFilter.forJob(job), PageRequest.first(10));
            s.dlq().stats(job);
            s.dlq().listJobs(null, PageRequest.first(10));
            s.dlq().purge(job, lease.fence());

            s.workflows().save(new WorkflowDefinition("wf1", "name", "1", t, null, null,
                    new WorkflowMetadata("d", List.of("tag-a", "tag-b"), "ann", Map.of()), 0), lease.fence());
            s.workflows().recordExecution(new WorkflowExecution("x1", "wf1", t, null, ExecutionStatus.RUNNING, null),
                    lease.fence());
            s.workflows().list(WorkflowFilter.ALL, PageRequest.first(10));
            s.workflows().listExecutions("wf1", PageRequest.first(10));
            s.workflows().executionCount("wf1");

            s.checkpoints().prune(scope, 0, lease.fence());
            s.workflows().delete("wf1", lease.fence());
            s.sessions().delete(session.id(), lease.fence());
            s.events().deleteJob(job, lease.fence());
            s.locks().release(lease);
            LockLease again = s.locks().tryAcquire("lock-1", Duration.ofMinutes(1)).orElseThrow();
            s.locks().forceRelease(again.key());
            s.health();
        }
    }

    /** Every command the server runs while {@code work} runs, as {@code MONITOR} prints it. */
    private static List<String> recordWhile(String url, Runnable work) throws InterruptedException {
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        Jedis monitor = new Jedis(URI.create(url));
        Thread reader = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        lines.add(command);
                    }
                });
            } catch (JedisException e) {
                // the connection is closed below when the work is done
            }
        }, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
        // MONITOR answers OK before it streams; a PING from another connection shows once the stream runs.
        try (Jedis ping = new Jedis(URI.create(url))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.stream().noneMatch(l -> l.contains("\"ECHO\" \"monitor-ready\""))
                    && System.nanoTime() < deadline) {
                ping.echo("monitor-ready");
                Thread.sleep(20);
            }
        }
        work.run();
        try (Jedis end = new Jedis(URI.create(url))) {
            end.echo("monitor-end");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.stream().noneMatch(l -> l.contains("\"ECHO\" \"monitor-end\""))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        monitor.disconnect();
        reader.join(5_000);
        assertThat(lines).as("MONITOR lines").anyMatch(l -> l.contains("monitor-end"));
        return new ArrayList<>(lines);
    }

    /** The keys of {@code command}, as the server finds them; none for commands without keys. */
    private static List<String> keysOf(Jedis redis, List<String> command) {
        String name = command.get(0).toUpperCase(Locale.ROOT);
        if (name.equals("MONITOR") || name.equals("ECHO")) {
            return List.of();
        }
        try {
            Object reply = redis.sendCommand(Protocol.Command.COMMAND,
                    concat("GETKEYS", command));
            List<String> keys = new ArrayList<>();
            for (Object k : (List<?>) reply) {
                keys.add(new String((byte[]) k, java.nio.charset.StandardCharsets.UTF_8));
            }
            return keys;
        } catch (JedisDataException e) {
            return List.of(); // "the command has no key arguments" (TIME, PUBLISH, INFO, CONFIG, SCRIPT LOAD, ...)
        }
    }

    private static String[] concat(String first, List<String> rest) {
        String[] out = new String[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            out[i + 1] = rest.get(i);
        }
        return out;
    }

    /**
     * The arguments of one {@code MONITOR} line ({@code 1700000000.123456 [0 lua] "HSET" "key" ...}): the quoted
     * strings, with Redis' escapes ({@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \xHH}) undone.
     */
    static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        int i = line.indexOf(']');
        if (i < 0) {
            return out;
        }
        i++;
        while (i < line.length()) {
            if (line.charAt(i) != '"') {
                i++;
                continue;
            }
            java.io.ByteArrayOutputStream arg = new java.io.ByteArrayOutputStream();
            i++;
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    char e = line.charAt(i + 1);
                    switch (e) {
                        case 'n' -> arg.write('\n');
                        case 'r' -> arg.write('\r');
                        case 't' -> arg.write('\t');
                        case 'a' -> arg.write(7);
                        case 'b' -> arg.write('\b');
                        case 'x' -> {
                            arg.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                            i += 2;
                        }
                        default -> arg.write(e);
                    }
                    i += 2;
                } else {
                    byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    arg.write(b, 0, b.length);
                    i++;
                }
            }
            out.add(arg.toString(java.nio.charset.StandardCharsets.UTF_8));
            i++;
        }
        return out;
    }
}
