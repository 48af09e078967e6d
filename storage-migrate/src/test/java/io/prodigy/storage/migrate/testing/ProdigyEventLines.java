package io.prodigy.storage.migrate.testing;

import static io.prodigy.storage.migrate.testing.ProdigyTrees.JOB;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.JOB2;

import java.util.List;

/**
 * Event-file lines as the original tool writes them (docs/migration.md), with the tag spellings and time precisions found on
 * disk.
 */
public final class ProdigyEventLines {

    private ProdigyEventLines() {}

    public static final String E_JOB_STARTED = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000001\","
            + "\"timestamp\":\"2025-03-10T14:01:58.411800709Z\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"job_started\",\"job_id\":\"" + JOB + "\","
            + "\"config\":{\"input\":\"items.json\","
            + "\"json_path\":\"$.items[*]\","
            + "\"max_parallel\":10,\"agent_timeout_secs\":null,\"continue_on_failure\":false,"
            + "\"batch_size\":null,\"enable_checkpoints\":true,\"max_items\":null,\"offset\":null},\"total_items\":3,"
            + "\"timestamp\":\"2025-03-10T14:01:58.411800709Z\"},\"metadata\":{\"host\":\"localhost\",\"pid\":48213,"
            + "\"thread\":\"main\"}}";
    public static final String E_AGENT_STARTED = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000002\","
            + "\"timestamp\":\"2025-03-10T14:01:59Z\",\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"agent_started\",\"job_id\":\"" + JOB + "\",\"agent_id\":\"" + JOB
            + "_agent_0\",\"item_id\":\"item_0\",\"worktree\":\"mapreduce-agent-" + JOB + "_agent_0\",\"attempt\":1},"
            + "\"metadata\":{\"host\":\"localhost\",\"pid\":48213,\"thread\":\"tokio-runtime-worker\"}}";
    public static final String E_AGENT_COMPLETED = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000003\","
            + "\"timestamp\":\"2025-03-10T14:05:02.120Z\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"agent_completed\",\"job_id\":\"" + JOB + "\",\"agent_id\":\"" + JOB
            + "_agent_0\",\"duration\":[183,412000000],\"commits\":[\"9f2c1e0\"],"
            + "\"json_log_location\":\"/home/dev/.claude/projects/x/x.jsonl\"},"
            + "\"metadata\":{\"host\":\"localhost\",\"pid\":48213,\"thread\":\"tokio-runtime-worker\"}}";
    public static final String E_TORN = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-0000000000ff\",\"timestamp\":\"2025-03-1";
    public static final String E_DLQ_ADDED = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000004\","
            + "\"timestamp\":\"2025-03-10T14:05:03.000001Z\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"d_l_q_item_added\",\"job_id\":\"" + JOB + "\",\"item_id\":\"item_1\","
            + "\"error_signature\":\"e622c33778c2e260\",\"failure_count\":1},"
            + "\"metadata\":{\"host\":\"localhost\",\"pid\":48213}}";
    public static final String E_DLQ_REMOVED_DOCS_SPELLING = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000005\","
            + "\"timestamp\":\"2025-03-10T14:06:00+00:00\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"dlq_item_removed\",\"job_id\":\"" + JOB + "\",\"item_id\":\"item_1\"}}";
    public static final String E_UNKNOWN = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000006\","
            + "\"timestamp\":\"2025-03-10T14:06:01Z\",\"correlation_id\":\"c\","
            + "\"event\":{\"event_type\":\"map_phase_started\",\"job_id\":\"" + JOB + "\"}}";
    public static final String E_CLAUDE = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000007\","
            + "\"timestamp\":\"2025-03-10T14:06:02.5Z\",\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"claude_message\",\"agent_id\":\"" + JOB + "_agent_0\","
            + "\"content\":\"Done: fixed ☃\",\"message_type\":\"assistant\",\"json_log_location\":null},"
            + "\"metadata\":{\"host\":\"localhost\",\"pid\":48213}}";
    public static final String E_JOB_COMPLETED = "{\"id\":\"0b8d1c52-1111-4c4e-9d61-000000000008\","
            + "\"timestamp\":\"2025-03-10T14:15:00.999999999Z\","
            + "\"correlation_id\":\"d34de364-0000-4000-8000-00000000c0de\","
            + "\"event\":{\"event_type\":\"job_completed\",\"job_id\":\"" + JOB + "\",\"duration\":[782,588199290],"
            + "\"success_count\":2,\"failure_count\":1},\"metadata\":{\"host\":\"localhost\",\"pid\":48213}}";
    public static final String E2_AGENT_FAILED = "{\"id\":\"7a000000-2222-4c4e-9d61-000000000001\","
            + "\"timestamp\":\"2025-03-10T15:00:05.123456Z\","
            + "\"correlation_id\":\"e0000000-0000-4000-8000-000000000001\","
            + "\"event\":{\"event_type\":\"agent_failed\",\"job_id\":\"" + JOB2 + "\",\"agent_id\":\"" + JOB2
            + "_agent_1\",\"error\":\"exit code 1\",\"retry_eligible\":true}}";
    public static final String E2_AGENT_RETRYING = "{\"id\":\"7a000000-2222-4c4e-9d61-000000000002\","
            + "\"timestamp\":\"2025-03-10T15:00:06.5Z\",\"correlation_id\":\"e0000000-0000-4000-8000-000000000001\","
            + "\"event\":{\"event_type\":\"agent_retrying\",\"job_id\":\"" + JOB2 + "\",\"agent_id\":\"" + JOB2
            + "_agent_1\",\"attempt\":2,\"backoff_ms\":2000}}";

    /** Event ids of {@link #JOB} in the order the import must store them (without the orphan events). */
    public static final List<String> JOB_EVENT_IDS = List.of(
            "0b8d1c52-1111-4c4e-9d61-000000000001", "0b8d1c52-1111-4c4e-9d61-000000000002",
            "0b8d1c52-1111-4c4e-9d61-000000000003", "0b8d1c52-1111-4c4e-9d61-000000000004",
            "0b8d1c52-1111-4c4e-9d61-000000000005", "0b8d1c52-1111-4c4e-9d61-000000000007",
            "0b8d1c52-1111-4c4e-9d61-000000000008");
}
