package io.prodigy.storage.cli.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.event.NewEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendInputTest {

    @Test
    void parsesEveryFieldAndIgnoresJobAndSequence() {
        NewEvent e = AppendInput.parse("{\"event_type\":\"t\",\"data\":{\"a\":[1,2]},\"agent_id\":\"ag\","
                + "\"correlation_id\":\"c\",\"id\":\"fixed-id\",\"timestamp\":\"2026-01-01T01:00:00+01:00\","
                + "\"job\":{\"repository\":\"r\",\"job_id\":\"j\"},\"sequence\":42}");
        assertThat(e.eventType()).isEqualTo("t");
        assertThat(e.data().get("a").get(1).asInt()).isEqualTo(2);
        assertThat(e.agentId()).isEqualTo("ag");
        assertThat(e.correlationId()).isEqualTo("c");
        assertThat(e.id()).isEqualTo("fixed-id");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void defaultsAreARandomIdNoTimestampAndEmptyData() {
        NewEvent a = AppendInput.parse("{\"event_type\":\"t\"}");
        NewEvent b = AppendInput.parse("{\"event_type\":\"t\"}");
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.timestamp()).isNull();
        assertThat(a.data().isEmpty()).isTrue();
    }

    @Test
    void badLinesAreRejectedWithTheLineNumber() {
        assertThatThrownBy(() -> read("{\"event_type\":\"ok\"}\nnot json\n")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("in line 2: not valid JSON (");
        assertThatThrownBy(() -> read("[1,2]")).hasMessage("in line 1: expected a JSON object such as"
                + " {\"event_type\":\"agent_completed\",\"data\":{}}. Nothing was appended.");
        assertThatThrownBy(() -> read("{\"data\":{}}")).hasMessage("in line 1: missing 'event_type'. Nothing was"
                + " appended.");
        assertThatThrownBy(() -> read("{\"event_type\":7}")).hasMessage("in line 1: 'event_type' must be a string,"
                + " was number. Nothing was appended.");
        assertThatThrownBy(() -> read("{\"event_type\":\"t\",\"timestamp\":\"yesterday\"}"))
                .hasMessage("in line 1: 'timestamp' 'yesterday' is not an ISO-8601 time such as 2026-11-21T10:00:00Z."
                        + " Nothing was appended.");
        assertThatThrownBy(() -> read("{\"event_type\":\"t\",\"id\":\"../x\"}"))
                .hasMessageStartingWith("in line 1: Invalid event id '../x': it contains a path separator");
    }

    @Test
    void twoObjectsOrTrailingGarbageOnOneLineRejectTheLine() {
        assertThatThrownBy(() -> read("{\"event_type\":\"ok\"}\n{\"event_type\":\"a\"} {\"event_type\":\"b\"}\n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("in line 2: more than one JSON value")
                .hasMessageEndingWith("Nothing was appended.");
        assertThatThrownBy(() -> read("{\"event_type\":\"c\"}garbage"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("in line 1: not valid JSON after the first"
                        + " value");
    }

    @Test
    void invalidUtf8IsRefusedWithItsLineNumber() throws Exception {
        byte[] input = "{\"event_type\":\"ok\"}\n{\"event_type\":\"a\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> AppendInput.readAll(new ByteArrayInputStream(input), "stdin"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("stdin line 2: not valid UTF-8")
                .hasMessageContaining("byte 17 of the line");
        assertThat(AppendInput.readAll(new ByteArrayInputStream("\ufeff{\"event_type\":\"\u00e9\"}\r\n"
                .getBytes(StandardCharsets.UTF_8)), "in")).extracting(NewEvent::eventType).containsExactly("\u00e9");
    }

    @Test
    void anInstantOutsideTheStoredRangeIsRefusedWithItsLineNumber() {
        assertThatThrownBy(() -> read("{\"event_type\":\"t\",\"timestamp\":\"+999999999-12-31T23:59:59Z\"}"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("in line 1: The event timestamp")
                .hasMessageContaining("9999-12-31T23:59:59.999999Z");
    }

    @Test
    void blankLinesAreSkipped() throws Exception {
        assertThat(read("\n{\"event_type\":\"a\"}\n  \n{\"event_type\":\"b\"}\n")).extracting(NewEvent::eventType)
                .containsExactly("a", "b");
    }

    @Test
    void derivedIdsAreReproducibleReplaceOnlyGeneratedOnesAndDependOnTheWholeInput() throws Exception {
        String text = "{\"event_type\":\"a\"}\n{\"event_type\":\"b\",\"id\":\"mine\"}\n{\"event_type\":\"a\"}\n";
        List<NewEvent> once = input(text).withDerivedIds();
        List<NewEvent> twice = input(text).withDerivedIds();
        List<NewEvent> other = input(text + "{\"event_type\":\"c\"}\n").withDerivedIds();

        assertThat(once).extracting(NewEvent::id).isEqualTo(twice.stream().map(NewEvent::id).toList())
                .doesNotHaveDuplicates();
        assertThat(once.get(1).id()).isEqualTo("mine");
        assertThat(other.get(0).id()).as("another input, other ids").isNotEqualTo(once.get(0).id());
        assertThat(input(text).events().get(0).id()).as("random until derived").isNotEqualTo(input(text).events()
                .get(0).id());
    }

    private static AppendInput.Input input(String text) throws Exception {
        return AppendInput.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "in");
    }

    private static List<NewEvent> read(String text) throws Exception {
        return AppendInput.readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "in");
    }
}
