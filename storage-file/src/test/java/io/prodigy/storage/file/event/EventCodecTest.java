package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming codec against the data binding it replaced: the same bytes on disk and the same parsed lines, so
 * that files written before and after the change read alike. The "legacy" mapper objects below are that binding.
 */
class EventCodecTest {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LegacyBody(String id, Instant timestamp, String eventType, String correlationId, String agentId,
            JsonNode data) {}

    private static final ObjectWriter LEGACY_WRITER = Json.mapper().writerFor(LegacyBody.class);
    private static final ObjectReader LEGACY_READER = Json.mapper().readerFor(EventLine.class);

    private final Random random = new Random(20261122);

    // ------------------------------------------------------------------------------------------ timestamps

    @Test
    void formatsTimestampsExactlyAsIsoInstantDoes() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("2000-03-01T00:00:00.001Z"),
                Instant.parse("1969-12-31T23:59:59.000001Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.100Z"), Instant.parse("1900-02-28T12:00:00.120Z")));
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(second, nanos));
        }
        char[] buf = new char[IsoInstant.MAX_LENGTH];
        for (Instant t : instants) {
            String expected = DateTimeFormatter.ISO_INSTANT.format(t);
            int len = IsoInstant.format(t, buf);
            assertThat(new String(buf, 0, len)).as("%s", t).isEqualTo(expected);
            assertThat(IsoInstant.parse(buf, 0, len)).as("%s", expected).isEqualTo(t);
        }
    }

    @Test
    void leavesYearsOutsideFourDigitsToTheGeneralFormatter() {
        Instant far = Instant.parse("+10000-01-01T00:00:00Z");
        Instant early = Instant.parse("-0001-12-31T23:59:59Z");
        assertThat(IsoInstant.format(far, new char[IsoInstant.MAX_LENGTH])).isEqualTo(-1);
        assertThat(IsoInstant.format(early, new char[IsoInstant.MAX_LENGTH])).isEqualTo(-1);
        assertThat(IsoInstant.format(far)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(far));
        assertThat(IsoInstant.format(early)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(early));
    }

    @Test
    void parsesAnyFractionLengthAndRejectsOtherShapes() {
        for (String s : List.of("2026-01-02T03:04:05.1Z", "2026-01-02T03:04:05.12Z", "2026-01-02T03:04:05.1234Z",
                "2026-01-02T03:04:05.12345678Z", "2026-01-02T03:04:05.000Z", "2024-02-29T00:00:00Z")) {
            assertThat(parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
        for (String s : List.of("2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-02T24:00:00Z",
                "2026-01-02T03:60:00Z", "2026-01-02T03:04:60Z", "2026-13-02T03:04:05Z", "2026-00-02T03:04:05Z",
                "2026-01-02T03:04:05", "2026-01-02T03:04:05+01:00", "2026-01-02 03:04:05Z",
                "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.1234567890Z", "2026-01-0xT03:04:05Z",
                "+2026-01-02T03:04:05Z", "2026-01-02T03:04:05,1Z")) {
            assertThat(parse(s)).as(s).isNull();
        }
    }

    private static Instant parse(String s) {
        return IsoInstant.parse(s.toCharArray(), 0, s.length());
    }

    // ------------------------------------------------------------------------------------------ encoding

    @Test
    void encodesTheSameBytesAsTheBodyRecordBinding() throws Exception {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(randomEvent(i));
        }
        events.add(new NewEvent("nulldata", Instant.parse("2026-01-02T03:04:05Z"), "t", NullNode.getInstance(),
                null, null));
        // The edges of the range every backend stores (issue 17: later or earlier instants are refused).
        events.add(new NewEvent("far", Instant.parse("9999-12-31T23:59:59.999999Z"), "t", null, "c", "a"));
        events.add(new NewEvent("early", Instant.parse("0000-01-01T00:00:00Z"), "t", null, "c", "a"));
        Instant now = Instant.parse("2026-11-22T01:02:03.456789Z");
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, now);

        assertThat(batch.size()).isEqualTo(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            Instant at = e.timestamp() != null ? e.timestamp() : now;
            // Bytes, as the old code wrote them: the UTF-8 generator escapes surrogate pairs, a String writer does not.
            String legacy = new String(LEGACY_WRITER.writeValueAsBytes(new LegacyBody(e.id(), at, e.eventType(),
                    e.correlationId(), e.agentId(), e.data())), StandardCharsets.UTF_8);
            String ours = new String(batch.bytes(), batch.start(i), batch.ends()[i] - batch.start(i),
                    StandardCharsets.UTF_8);
            assertThat(ours).as("event %d", i).isEqualTo(legacy);
            assertThat(batch.timestamp(i)).isEqualTo(at);
            assertThat(batch.eventType(i)).isEqualTo(e.eventType());

            GrowableBuffer out = new GrowableBuffer(16);
            EventCodec.writeLine(out, 1_000_000_007L + i, i % 2 == 0, batch, i);
            byte[] line = new byte[out.size()];
            out.asByteBuffer().get(line);
            String expectedLine = "{\"sequence\":" + (1_000_000_007L + i) + (i % 2 == 0 ? ",\"batch_more\":true" : "")
                    + "," + legacy.substring(1) + "\n";
            assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(expectedLine);
        }
    }

    @Test
    void formatsEveryTimestampOfABatchThatSharesOneOnlyNowAndThen() throws Exception {
        // The encoder keeps the text of the last timestamp: runs of the store's stamp, of one explicit instant, and
        // alternations between them must each get their own text, and an equal instant (not the same object) too.
        Instant now = Instant.parse("2026-11-22T01:02:03.456789Z");
        Instant a = Instant.parse("2026-01-02T03:04:05Z");
        Instant far = Instant.parse("9999-12-31T23:59:59.999999Z");
        List<Instant> stamps = java.util.Arrays.asList(null, null, a, a, null, Instant.parse(a.toString()), far, null,
                a, now, Instant.EPOCH);
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < stamps.size(); i++) {
            events.add(new NewEvent("e-" + i, stamps.get(i), "t", null, null, null));
        }
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, now);
        for (int i = 0; i < events.size(); i++) {
            Instant at = stamps.get(i) != null ? stamps.get(i) : now;
            assertThat(new String(batch.bytes(), batch.start(i), batch.ends()[i] - batch.start(i),
                    StandardCharsets.UTF_8)).as("event %d", i).isEqualTo(legacy(events.get(i), at));
            assertThat(batch.timestamp(i)).isEqualTo(at);
        }
    }

    @Test
    void aThreadsBatchesOfEverySizeInTurnAreEachWrittenExactly() throws Exception {
        // A thread's encoder and its array sizing carry over from batch to batch: a batch must not show any earlier
        // bytes, whether it is shorter or longer, and the array of a huge batch is not the size of the ones after.
        Instant now = Instant.parse("2026-11-22T01:02:03Z");
        List<NewEvent> big = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            big.add(new NewEvent("big-" + i, null, "t", Json.mapper().createObjectNode().put("s", "y".repeat(900)),
                    "c", "a"));
        }
        List<NewEvent> small = List.of(new NewEvent("s-1", null, "u", null, null, null),
                new NewEvent("s-2", now, "u", Json.mapper().createObjectNode().put("k", 1), null, null));
        List<NewEvent> huge = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            huge.add(new NewEvent("h-" + i, null, "t", Json.mapper().createObjectNode().put("s", "z".repeat(600_000)),
                    null, null));
        }
        List<List<NewEvent>> batches = List.of(big, small, big, huge, small, small);
        for (int b = 0; b < batches.size(); b++) {
            List<NewEvent> events = batches.get(b);
            EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, now);
            for (int i = 0; i < events.size(); i++) {
                assertThat(new String(batch.bytes(), batch.start(i), batch.ends()[i] - batch.start(i),
                        StandardCharsets.UTF_8)).isEqualTo(legacy(events.get(i), now));
            }
            if (b == batches.size() - 1) { // the batch after the huge one is still sized from it; this one is not
                assertThat(batch.bytes().length).as("array sized after a huge batch").isLessThanOrEqualTo(1 << 20);
            }
        }
        // A batch selected out of another one owns its bytes: the thread's next batch does not change them.
        EventCodec.EncodedBatch first = EventCodec.encodeAll(big, now);
        EventCodec.EncodedBatch kept = first.select(keepEveryOther(50));
        EventCodec.encodeAll(small, now);
        assertThat(kept.size()).isEqualTo(25);
        for (int k = 0; k < kept.size(); k++) {
            assertThat(kept.id(k)).isEqualTo(big.get(2 * k).id());
            assertThat(new String(kept.bytes(), kept.start(k), kept.ends()[k] - kept.start(k), StandardCharsets.UTF_8))
                    .isEqualTo(legacy(big.get(2 * k), now));
        }
    }

    private static boolean[] keepEveryOther(int n) {
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i += 2) {
            keep[i] = true;
        }
        return keep;
    }

    private static String legacy(NewEvent e, Instant at) throws Exception {
        return new String(LEGACY_WRITER.writeValueAsBytes(new LegacyBody(e.id(), at, e.eventType(), e.correlationId(),
                e.agentId(), e.data())), StandardCharsets.UTF_8);
    }

    @Test
    void rewrittenLineIsTheCommittedLineOfTheEvent() {
        EventLine e = new EventLine(42, true, "e-1", Instant.parse("2026-01-02T03:04:05.120Z"), "done",
                Json.mapper().createObjectNode().put("k", "v\"\n"), null, "agent-1");
        assertThat(new String(EventCodec.line(e), StandardCharsets.UTF_8)).isEqualTo(
                "{\"sequence\":42,\"id\":\"e-1\",\"timestamp\":\"2026-01-02T03:04:05.120Z\",\"event_type\":\"done\","
                        + "\"agent_id\":\"agent-1\",\"data\":{\"k\":\"v\\\"\\n\"}}\n");
    }

    @Test
    void namesTheEventThatCannotBeSerialized() {
        ObjectNode bad = Json.mapper().createObjectNode();
        bad.set("x", new POJONode(new Object()));
        List<NewEvent> events = List.of(NewEvent.of("ok", null), new NewEvent("broken", null, "t", bad, null, null));
        assertThatThrownBy(() -> EventCodec.encodeAll(events, Instant.EPOCH))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Event 'broken' cannot be serialized as JSON: ");

        // The thread's generator was left inside an object: the next batch of this thread must not inherit that.
        NewEvent next = new NewEvent("after", Instant.parse("2026-01-02T03:04:05Z"), "t",
                Json.mapper().createObjectNode().put("k", "plain"), null, null);
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(List.of(next), Instant.EPOCH);
        assertThat(new String(batch.bytes(), 0, batch.ends()[0], StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":\"after\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"event_type\":\"t\",\"data\":{\"k\":\"plain\"}}");
    }

    // ------------------------------------------------------------------------------------------ parsing

    @Test
    void parsesWrittenLinesAsTheRecordBindingDid() throws Exception {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(randomEvent(i));
        }
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, Instant.parse("2026-11-22T01:02:03Z"));
        GrowableBuffer out = new GrowableBuffer(16);
        for (int i = 0; i < batch.size(); i++) {
            out.clear();
            EventCodec.writeLine(out, i + 1, i % 3 == 0, batch, i);
            byte[] line = new byte[out.size() - 1]; // without '\n'
            out.asByteBuffer().get(line);
            assertSameAsLegacy(new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void parsesUnusualAndBrokenLinesAsTheRecordBindingDid() throws Exception {
        String ok = "\"id\":\"e\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"event_type\":\"t\"";
        List<String> lines = List.of(
                "{\"sequence\":1," + ok + ",\"data\":{}}",
                "{\"sequence\":1," + ok + ",\"data\":null}",
                "{\"sequence\":1," + ok + "}",
                "{\"sequence\":1," + ok + ",\"data\":[1,2.5,\"x\",true,null]}",
                "{\"sequence\":1," + ok + ",\"data\":12345678901234567890123}",
                "{\"sequence\":1," + ok + ",\"extra\":{\"nested\":[1,{\"a\":2}]},\"data\":{\"b\":1}}",
                "{\"sequence\":\"7\"," + ok + "}",
                "{\"sequence\":null," + ok + "}",
                "{\"sequence\":0," + ok + "}",
                "{\"sequence\":-3," + ok + "}",
                "{\"sequence\":1.0," + ok + "}",
                "{\"sequence\":1,\"batch_more\":false," + ok + "}",
                "{\"sequence\":1,\"batch_more\":\"true\"," + ok + "}",
                "{\"sequence\":1,\"batch_more\":null," + ok + "}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":1767323045.5,\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":\"2026-01-02T03:04:05+00:00\",\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":\"2026-02-30T03:04:05Z\",\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":null,\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":7,\"timestamp\":\"2026-01-02T03:04:05Z\",\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":{},\"timestamp\":\"2026-01-02T03:04:05Z\",\"event_type\":\"t\"}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":\"2026-01-02T03:04:05Z\"}",
                "{\"sequence\":1," + ok + ",\"correlation_id\":\"c\",\"agent_id\":null}",
                "{\"sequence\":2,\"sequence\":3," + ok + "}",
                "{\"sequence\":1," + ok + "} trailing",
                "{\"sequence\":1," + ok + ",\"data\":{\"a\":",
                "{\"sequence\":1," + ok,
                "{\"sequence\":1,",
                "{",
                "{}",
                "{\"sequence\":1,\"id\":\"e\",\"timestamp\":\"2026-01-02T03:04:05Z\",\"event_type\":\"t\",}",
                "[1,2]",
                "garbage");
        for (String line : lines) {
            assertSameAsLegacy(line);
        }
    }

    private static void assertSameAsLegacy(String line) {
        byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        int len = line.getBytes(StandardCharsets.UTF_8).length;
        EventLine ours = EventCodec.parse(bytes, 2, len);
        EventLine legacy;
        try {
            EventLine bound = LEGACY_READER.readValue(bytes, 2, len);
            legacy = bound != null && bound.isValid() ? bound : null;
        } catch (Exception e) {
            legacy = null;
        }
        assertThat(ours).as(line).isEqualTo(legacy);
    }

    private NewEvent randomEvent(int i) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("n", random.nextLong());
        data.put("d", random.nextDouble() * 1e6);
        data.put("f", 1.5f);
        data.put("big", new BigDecimal("12345678901234567890.000123"));
        data.put("s", randomText());
        data.putNull("z");
        data.putArray("a").add(1).add("two").add(false).addNull().addObject().put("deep", "x");
        data.putObject("o").put("ünïcødé", "日本語 😀");
        Instant at = switch (i % 4) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1000) * 1_000_000);
            case 2 -> Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000) * 1_000);
            default -> Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
        };
        String correlation = i % 3 == 0 ? null : "corr-" + i;
        String agent = i % 5 == 0 ? null : "agent-" + randomText();
        return new NewEvent("e-" + i, at, "type_" + (i % 7), i % 11 == 0 ? null : data, correlation, agent);
    }

    private String randomText() {
        String alphabet = "abcXYZ 09\"\\/\n\t\r\u0001\u001f\u007fé€😀<>&'";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int cp = alphabet.codePointAt(random.nextInt(alphabet.length() - 1));
            if (Character.isLowSurrogate((char) cp)) {
                continue; // landed on the second half of the emoji
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}
