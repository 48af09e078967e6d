package io.prodigy.storage.bench.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Issue 12: Redis memory used per 1,000,000 events ({@code INFO memory} {@code used_memory} before and after), with a
 * typical event (36-character UUID id, a type, a 60-byte JSON payload, an agent id, stamped by the store), appended in
 * batches of 1,000 to one job; then the job is deleted. Prints one line of figures.
 *
 * <p>Run: {@code java -cp storage-bench/target/benchmarks.jar io.prodigy.storage.bench.distributed.RedisMemoryProbe
 * [events]}
 */
public final class RedisMemoryProbe {

    private RedisMemoryProbe() {}

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        JobRef job = JobRef.of("bench", "memory");
        JsonNode data = Json.nodes().objectNode().put("step", 3).put("message", "agent finished step 3 of 12");
        try (UnifiedStorage storage = RedisTarget.open(RedisTarget.newPrefix("memory"));
                Jedis raw = RedisTarget.raw()) {
            long before = usedMemory(raw);
            long started = System.nanoTime();
            for (int i = 0; i < events; i += 1_000) {
                List<NewEvent> batch = new ArrayList<>(1_000);
                for (int e = 0; e < Math.min(1_000, events - i); e++) {
                    batch.add(NewEvent.of("agent_completed", data).withAgentId("agent-7"));
                }
                storage.events().append(job, batch);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long after = usedMemory(raw);
            long bytes = after - before;
            System.out.printf("events=%d used_memory_delta=%d bytes per_event=%.1f bytes per_million=%.1f MiB"
                    + " append_rate=%.0f events/s%n", events, bytes, bytes / (double) events,
                    bytes / (double) events * 1_000_000 / (1024 * 1024), events / seconds);
            storage.events().deleteJob(job);
        }
    }

    private static long usedMemory(Jedis raw) {
        for (String line : raw.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }
}
