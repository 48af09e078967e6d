package io.prodigy.storage.migrate.prodigy;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.event.NewEvent;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventLineMapperTest {

    private static final String J = "\"job_id\":\"mapreduce-20250310_140158\"";
    private static final String A = "\"agent_id\":\"mapreduce-20250310_140158_agent_0\"";

    /** Every persisted MapReduceEvent variant (docs/migration.md): on-disk tag, its fields, the expected type. */
    static Stream<Arguments> variants() {
        return Stream.of(
                v("job_started", J + ",\"config\":{\"input\":\"x\",\"json_path\":\"\",\"max_parallel\":10},"
                        + "\"total_items\":3,\"timestamp\":\"2025-03-10T14:01:58Z\"", "job_started"),
                v("job_completed", J + ",\"duration\":[45,0],\"success_count\":2,\"failure_count\":1",
                        "job_completed"),
                v("job_failed", J + ",\"error\":\"boom\",\"partial_results\":1", "job_failed"),
                v("job_paused", J + ",\"checkpoint_version\":2", "job_paused"),
                v("job_resumed", J + ",\"checkpoint_version\":2,\"pending_items\":1", "job_resumed"),
                v("agent_started", J + "," + A + ",\"item_id\":\"item_0\",\"worktree\":\"w\",\"attempt\":1",
                        "agent_started"),
                v("agent_progress", J + "," + A + ",\"step\":\"s\",\"progress_pct\":50.5", "agent_progress"),
                v("agent_completed", J + "," + A + ",\"duration\":[1,0],\"commits\":[],\"json_log_location\":null",
                        "agent_completed"),
                v("agent_failed", J + "," + A + ",\"error\":\"e\",\"retry_eligible\":false", "agent_failed"),
                v("agent_retrying", J + "," + A + ",\"attempt\":2,\"backoff_ms\":100", "agent_retrying"),
                v("checkpoint_created", J + ",\"version\":1,\"agents_completed\":1", "checkpoint_created"),
                v("checkpoint_loaded", J + ",\"version\":1", "checkpoint_loaded"),
                v("checkpoint_failed", J + ",\"error\":\"e\"", "checkpoint_failed"),
                v("worktree_created", J + "," + A + ",\"worktree_name\":\"w\",\"branch\":\"b\"", "worktree_created"),
                v("worktree_merged", J + "," + A + ",\"target_branch\":\"main\"", "worktree_merged"),
                v("worktree_cleaned", J + "," + A + ",\"worktree_name\":\"w\"", "worktree_cleaned"),
                v("queue_depth_changed", J + ",\"pending\":1,\"active\":2,\"completed\":3", "queue_depth_changed"),
                v("memory_pressure", J + ",\"used_mb\":900,\"limit_mb\":1024", "memory_pressure"),
                v("d_l_q_item_added", J + ",\"item_id\":\"i\",\"error_signature\":\"s\",\"failure_count\":1",
                        "dlq_item_added"),
                v("dlq_item_added", J + ",\"item_id\":\"i\",\"error_signature\":\"s\",\"failure_count\":1",
                        "dlq_item_added"),
                v("d_l_q_item_removed", J + ",\"item_id\":\"i\"", "dlq_item_removed"),
                v("dlq_item_removed", J + ",\"item_id\":\"i\"", "dlq_item_removed"),
                v("d_l_q_items_reprocessed", J + ",\"count\":2", "dlq_items_reprocessed"),
                v("dlq_items_reprocessed", J + ",\"count\":2", "dlq_items_reprocessed"),
                v("d_l_q_items_evicted", J + ",\"count\":2", "dlq_items_evicted"),
                v("dlq_items_evicted", J + ",\"count\":2", "dlq_items_evicted"),
                v("d_l_q_analysis_generated", J + ",\"patterns\":4", "dlq_analysis_generated"),
                v("dlq_analysis_generated", J + ",\"patterns\":4", "dlq_analysis_generated"),
                v("claude_tool_invoked", A + ",\"tool_name\":\"Edit\",\"tool_id\":\"t1\",\"parameters\":{\"a\":[1]},"
                        + "\"timestamp\":\"2025-03-10T14:01:58.1Z\"", "claude_tool_invoked"),
                v("claude_token_usage", A + ",\"input_tokens\":1,\"output_tokens\":2,\"cache_tokens\":3",
                        "claude_token_usage"),
                v("claude_session_started", A + ",\"session_id\":\"s\",\"model\":\"m\",\"tools\":[\"Edit\"]",
                        "claude_session_started"),
                v("claude_message", A + ",\"content\":\"hi\",\"message_type\":\"text\",\"json_log_location\":null",
                        "claude_message"));
    }

    private static Arguments v(String tag, String fields, String type) {
        return Arguments.of(tag, fields, type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyVariantMapsToItsEventName(String tag, String fields, String type) {
        String line = "{\"id\":\"c7857106-0000-4000-8000-000000000001\","
                + "\"timestamp\":\"2025-03-10T14:01:58.411800709Z\","
                + "\"correlation_id\":\"d34de364\",\"event\":{\"event_type\":\"" + tag + "\"," + fields + "},"
                + "\"metadata\":{\"host\":\"localhost\",\"pid\":1,\"thread\":\"main\"}}";

        EventLineMapper.Result r = EventLineMapper.map(line);

        assertThat(r.skipReason()).isNull();
        NewEvent e = r.mapped().event();
        assertThat(e.eventType()).isEqualTo(type);
        assertThat(e.id()).isEqualTo("c7857106-0000-4000-8000-000000000001");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:01:58.411800Z"));
        assertThat(e.correlationId()).isEqualTo("d34de364");
        assertThat(e.data().path("_metadata").path("thread").textValue()).isEqualTo("main");
        assertThat(e.data().has("_tag")).isEqualTo(!tag.equals(type));
        if (!tag.equals(type)) {
            assertThat(e.data().path("_tag").textValue()).isEqualTo(tag);
        }
        assertThat(r.mapped().jobId()).isEqualTo(type.startsWith("claude") ? null : "mapreduce-20250310_140158");
        assertThat(e.agentId()).isEqualTo(fields.contains("agent_id") ? "mapreduce-20250310_140158_agent_0" : null);
    }

    @Test
    void thereAre27KnownVariants() {
        assertThat(EventLineMapper.KNOWN_TYPES).hasSize(27);
        assertThat(variants().map(a -> a.get()[2]).distinct()).hasSize(27);
    }

    @Test
    void unknownFieldsOfTheLineAreKept() {
        EventLineMapper.Result r = EventLineMapper.map("{\"id\":\"x1\",\"timestamp\":\"2025-03-10T14:01:58Z\","
                + "\"correlation_id\":\"c\",\"event\":{\"event_type\":\"job_failed\",\"job_id\":\"j\",\"error\":\"e\","
                + "\"partial_results\":0},\"schema\":2}");

        assertThat(r.mapped().event().data().path("_extra").path("schema").intValue()).isEqualTo(2);
        assertThat(r.mapped().event().data().has("_metadata")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[1,2]",
        "{\"id\":\"x\",\"timestamp\":\"2025-03-10T14:01:58Z\",\"event\":{\"job_id\":\"j\"}}",
        "{\"AgentCompleted\":{\"job_id\":\"j\",\"agent_id\":\"a\"}}",
        "{\"id\":\"x\",\"timestamp\":\"2025-03-10T14:01:58Z\",\"event\":{\"event_type\":\"reduce_phase_completed\"}}",
        "{\"timestamp\":\"2025-03-10T14:01:58Z\",\"event\":{\"event_type\":\"job_paused\",\"job_id\":\"j\"}}",
        "{\"id\":\"../x\",\"timestamp\":\"2025-03-10T14:01:58Z\",\"event\":{\"event_type\":\"job_paused\"}}",
        "{\"id\":\"x\",\"timestamp\":\"10 March\",\"event\":{\"event_type\":\"job_paused\",\"job_id\":\"j\"}}"
    })
    void unusableLinesAreSkippedWithAReason(String line) {
        EventLineMapper.Result r = EventLineMapper.map(line);

        assertThat(r.mapped()).isNull();
        assertThat(r.skipReason()).isNotBlank();
    }

    @Test
    void externallyTaggedLinesAreNamedAsSuch() {
        assertThat(EventLineMapper.map("{\"AgentCompleted\":{\"job_id\":\"j\"}}").skipReason())
                .startsWith("an externally tagged event ('AgentCompleted'");
    }

    @Test
    void blankLinesAreNeitherEventsNorSkips() {
        assertThat(EventLineMapper.map("   ").blank()).isTrue();
    }
}
