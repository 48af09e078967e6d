package io.prodigy.storage.migrate.testing;

import static io.prodigy.storage.migrate.testing.Files2.gzipLines;
import static io.prodigy.storage.migrate.testing.Files2.lines;
import static io.prodigy.storage.migrate.testing.Files2.write;
import static io.prodigy.storage.migrate.testing.ProdigyDocuments.*;
import static io.prodigy.storage.migrate.testing.ProdigyEventLines.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Small trees in the original tool's formats, written from the facts document (§2–§5): a global {@code ~/.prodigy}
 * with every kind of file, and a project with a legacy {@code .prodigy/}.
 */
public final class ProdigyTrees {

    public static final String REPO = "myrepo";
    public static final String JOB = "mapreduce-20250310_140158";
    public static final String SESSION_SCOPE = "session-6f1c0a5e-8b7d-4c2e-9f10-1a2b3c4d5e6f";
    public static final String JOB2 = "mapreduce-20250310_150001";
    public static final String WORKFLOW_SESSION = "workflow-1741615318000";
    public static final String WORKFLOW_CP = "workflow-1741615318123";

    private ProdigyTrees() {}

    /** The name of {@link #JOB}'s live event file, whose line numbers the skip assertions use. */
    public static final String LIVE_EVENT_FILE = "events/" + REPO + "/" + JOB + "/events-20250310_140158.jsonl";

    /**
     * Writes a global {@code ~/.prodigy} tree:
     * <ul>
     *   <li>3 session files (2 valid, 1 broken);</li>
     *   <li>{@link #JOB}: a rotated file named {@code .jsonl.gz} that is plain text (2 lines) and the live file (9
     *       lines: a torn line at 2, a blank line at 3, an unknown type at 6, a duplicate id at 9), index.json;</li>
     *   <li>{@link #JOB2} under the parent-worktree scope {@link #SESSION_SCOPE}, in a real gzip file (2 lines);</li>
     *   <li>DLQ: item_0 in the writer's path and (a later failure) in the resume manager's path, item-3 in the
     *       discovery path, item_7 in the docs' {@code dlq-items.json};</li>
     *   <li>job state v2 and v3 (+ a .tmp and metadata.json), a workflow checkpoint, a merge-workflow checkpoint,
     *       a reduce checkpoint (not repo-scoped), an orphaned-worktree registry with 2 entries, a stale and an
     *       active resume lock, a retention archive, config.yml and a worktrees directory.</li>
     * </ul>
     */
    public static void writeGlobalTree(Path base) {
        write(base.resolve("config.yml"), "storage:\n  backend: file\n");
        write(base.resolve("sessions/" + WORKFLOW_SESSION + ".json"), WORKFLOW_SESSION_JSON);
        write(base.resolve("sessions/" + SESSION_SCOPE + ".json"), MAPREDUCE_SESSION_JSON);
        write(base.resolve("sessions/broken.json"), "{\n  \"id\": \"broken\",\n  \"status\": ");

        Path job = base.resolve("events/" + REPO + "/" + JOB);
        lines(job.resolve("events-20250310_140158.20250310_150000.jsonl.gz"), List.of(E_JOB_STARTED, E_AGENT_STARTED));
        lines(job.resolve("events-20250310_140158.jsonl"), List.of(E_AGENT_COMPLETED, E_TORN, "", E_DLQ_ADDED,
                E_DLQ_REMOVED_DOCS_SPELLING, E_UNKNOWN, E_CLAUDE, E_JOB_COMPLETED, E_AGENT_STARTED));
        write(job.resolve("index.json"), "{\"job_id\":\"" + JOB + "\",\"total_events\":39}");
        gzipLines(base.resolve("events/" + SESSION_SCOPE + "/" + JOB2 + "/events-20250310_150001.jsonl.gz"),
                List.of(E2_AGENT_FAILED, E2_AGENT_RETRYING));
        lines(base.resolve("events/archive/events_archive_20250301_000000.jsonl"), List.of(E_JOB_STARTED));

        Path writerDlq = base.resolve("dlq/" + REPO + "/" + JOB + "/mapreduce/dlq/" + JOB);
        write(writerDlq.resolve("items/item_0.json"), DLQ_ITEM_0_FIRST);
        write(writerDlq.resolve("index.json"), "{\"job_id\":\"" + JOB + "\",\"item_count\":1,\"item_ids\":[\"item_0\"],"
                + "\"updated_at\":\"2025-03-10T14:03:00Z\"}");
        write(base.resolve("state/" + REPO + "/mapreduce/dlq/" + JOB + "/items/item_0.json"), DLQ_ITEM_0_SECOND);
        write(base.resolve("dlq/" + REPO + "/" + JOB + "/items/item-3.json"), DLQ_ITEM_3_VALIDATION);
        write(base.resolve("dlq/" + REPO + "/" + JOB + "/dlq-items.json"), "[" + DLQ_ITEM_7 + "]");

        Path state = base.resolve("state/" + REPO + "/mapreduce/jobs/" + JOB);
        write(state.resolve("checkpoint-v2.json"), jobState(2, false));
        write(state.resolve("checkpoint-v3.json"), jobState(3, true));
        write(state.resolve("checkpoint-v3.tmp"), "{\"job_id\":");
        write(state.resolve("metadata.json"), "{\"path\":\"/home/dev/.prodigy/state/" + REPO + "/mapreduce/jobs/" + JOB
                + "/checkpoint-v3.json\",\"version\":3,\"created_at\":\"2025-03-10T14:10:00Z\",\"size_bytes\":2048}");
        write(base.resolve("state/" + WORKFLOW_SESSION + "/checkpoints/" + WORKFLOW_CP + ".checkpoint.json"),
                WORKFLOW_CHECKPOINT_JSON);
        write(base.resolve("state/" + REPO + "/checkpoints/merge-workflow-" + SESSION_SCOPE + ".checkpoint.json"),
                MERGE_CHECKPOINT_JSON);
        write(base.resolve("state/reduce_checkpoints/" + JOB + "/reduce-checkpoint-v1-20250310_141500.json"),
                REDUCE_CHECKPOINT_JSON);

        write(base.resolve("orphaned_worktrees/" + REPO + "/" + JOB + ".json"), ORPHANS_JSON);
        write(base.resolve("resume_locks/" + WORKFLOW_SESSION + ".lock"), lockJson(deadPid()));
        write(base.resolve("resume_locks/" + SESSION_SCOPE + ".lock"), lockJson(ProcessHandle.current().pid()));
        write(base.resolve("worktrees/" + REPO + "/.metadata/" + WORKFLOW_SESSION + ".json"), "{}");
        write(base.resolve("worktrees/" + REPO + "/.gitignore"), ".metadata/\n");
    }

    /**
     * Writes a project with a legacy {@code .prodigy/}: two legacy session files, a loose event file with lines of two
     * jobs and a Claude line, a job directory, the fallback job-state and DLQ directories under {@code mapreduce/},
     * a DLQ item in {@code dlq/{job}/items}, plus {@code config.yml} and {@code workflow.yml} that must stay.
     *
     * @return the {@code .prodigy} directory
     */
    public static Path writeLegacyProject(Path project) {
        Path dot = project.resolve(".prodigy");
        write(dot.resolve("config.yml"), "max_parallel: 4\n");
        write(dot.resolve("workflow.yml"), "commands:\n  - claude: /fix\n");
        write(dot.resolve("session_state.json"), LEGACY_SESSION_STATE);
        write(dot.resolve("session_20250101_120000.json"), LEGACY_SESSION_FILE);
        lines(dot.resolve("events/mapreduce_events.jsonl"), List.of(
                line("1", "2025-01-01T12:00:00Z", "job_started", "mapreduce-a", ",\"config\":{},\"total_items\":1,"
                        + "\"timestamp\":\"2025-01-01T12:00:00Z\""),
                line("2", "2025-01-01T12:00:01Z", "job_started", "mapreduce-b", ",\"config\":{},\"total_items\":2,"
                        + "\"timestamp\":\"2025-01-01T12:00:01Z\""),
                "not json at all",
                line("3", "2025-01-01T12:00:02Z", "job_completed", "mapreduce-a",
                        ",\"duration\":{\"secs\":45,\"nanos\":0},\"success_count\":1,\"failure_count\":0"),
                "{\"id\":\"00000000-0000-4000-8000-000000000004\",\"timestamp\":\"2025-01-01T12:00:03Z\","
                        + "\"correlation_id\":\"c\",\"event\":{\"event_type\":\"claude_token_usage\","
                        + "\"agent_id\":\"a\","
                        + "\"input_tokens\":10,\"output_tokens\":20,\"cache_tokens\":0}}"));
        lines(dot.resolve("events/mapreduce-c/events-20250101_130000.jsonl"), List.of(
                line("5", "2025-01-01T13:00:00.123Z", "checkpoint_created", "mapreduce-c",
                        ",\"version\":1,\"agents_completed\":0")));
        write(dot.resolve("mapreduce/jobs/mapreduce-c/checkpoint-v1.json"), jobStateFor("mapreduce-c", 1));
        write(dot.resolve("mapreduce/dlq/mapreduce-c/items/item_4.json"), DLQ_ITEM_7.replace("item_7", "item_4"));
        write(dot.resolve("dlq/mapreduce-c/items/item_5.json"), DLQ_ITEM_7.replace("item_7", "item_5"));
        return dot;
    }

    private static String line(String n, String ts, String type, String job, String rest) {
        return "{\"id\":\"00000000-0000-4000-8000-00000000000" + n + "\",\"timestamp\":\"" + ts + "\","
                + "\"correlation_id\":\"c\",\"event\":{\"event_type\":\"" + type + "\",\"job_id\":\"" + job + "\""
                + rest + "}}";
    }

    static String lockJson(long pid) {
        return """
                {
                  "job_id": "x",
                  "process_id": %d,
                  "hostname": "%s",
                  "acquired_at": "2025-03-10T14:00:00Z"
                }""".formatted(pid, localHost());
    }

    /** A pid that belonged to a process that has exited. */
    public static long deadPid() {
        try {
            Process p = new ProcessBuilder("true").start();
            long pid = p.pid();
            p.waitFor();
            return pid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
