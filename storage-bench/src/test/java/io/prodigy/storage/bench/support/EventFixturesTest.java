package io.prodigy.storage.bench.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFixturesTest {

    @Test
    void everyThreadsEventsAreExactlyTheAdvertisedSize() {
        for (String tag : List.of("t00", "t15", "q", "l")) {
            EventFactory f = new EventFactory(tag);
            for (int i = 0; i < 3; i++) {
                assertThat(EventFixtures.lineBytes(f.next())).as("tag %s", tag).isEqualTo(EventFixtures.EVENT_BYTES);
            }
        }
    }

    @Test
    void idsAreUniqueAndFixedWidth() {
        EventFactory f = new EventFactory("t03");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            NewEvent e = f.next();
            assertThat(e.id()).hasSize("e-t03-".length() + 12);
            assertThat(ids.add(e.id())).isTrue();
        }
        assertThat(EventFixtures.id("p-", 42)).isEqualTo("p-000000000042");
    }

    @Test
    void idsCountUpLikeTheirNumbersAcrossCarries() {
        EventFactory f = new EventFactory("c");
        for (long n = 0; n < 1_200; n++) {
            assertThat(f.next().id()).isEqualTo(EventFixtures.id("e-c-", n));
        }
    }

    @Test
    void rawBatchesAreParseableLinesMarkedLikeTheFileBackendMarksABatch() throws Exception {
        ByteBuffer buf = EventFixtures.rawBatch(new EventFactory("t01"), 5);
        byte[] bytes = new byte[buf.remaining()];
        buf.duplicate().get(bytes);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(5);
        for (int i = 0; i < lines.length; i++) {
            JsonNode n = Json.mapper().readTree(lines[i]);
            assertThat(n.has("batch_more")).isEqualTo(i < 4);
            assertThat(n.get("event_type").asText()).isEqualTo(EventFixtures.APPEND_TYPE);
        }
        assertThat(bytes.length).isEqualTo(5 * EventFixtures.EVENT_BYTES + 4 * ",\"batch_more\":true".length());
    }
}
