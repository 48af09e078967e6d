package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonBytes} against the mapper's generator it stands in for: byte for byte, on every character, on edge
 * values and on random trees, and whole events against the {@code Body} record binding the codec has always matched.
 * Every comparison also checks that the fast path really wrote the value (so the test cannot pass by falling back).
 */
class JsonBytesTest {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LegacyBody(String id, Instant timestamp, String eventType, String correlationId, String agentId,
            JsonNode data) {}

    private static final ObjectWriter LEGACY_WRITER = Json.mapper().writerFor(LegacyBody.class);
    private static final JsonNodeFactory NODES = Json.nodes();
    /** Characters every string class of the escaping touches: controls, escapes, DEL, 2- and 3-byte, surrogates. */
    private static final String ALPHABET = "aZ09 ~\"\\/\u0000\u0001\b\t\n\u000b\f\r\u001b\u001f\u007f\u0080\u00e9"
            + "\u07ff\u0800\u2028\u2029\u20ac\ud7ff\ud800\udbff\udc00\udfff\ue000\ufeff\ufffd\uffff";

    private final Random random = new Random(20261203);

    @Test
    void matchesTheMapperOnThisJacksonAndConfiguration() {
        // Otherwise every value would go to the generator: correct, but this class would be dead code.
        assertThat(JsonBytes.SAME_AS_MAPPER).isTrue();
    }

    @Test
    void writesEveryCharacterAsTheGeneratorDoes() throws IOException {
        for (int c = 0; c <= 0xffff; c++) {
            String alone = String.valueOf((char) c);
            assertSameAsGenerator(NODES.textNode(alone));
            assertSameAsGenerator(NODES.textNode("ab" + alone + "cd" + alone));
        }
        // Pairs (an emoji), reversed pairs, lone halves at either end, as values and as field names.
        for (String s : List.of("\ud83d\ude00", "x\ud83d\ude00y", "\ude00\ud83d", "\ud83d", "\ude00", "a\ud83d",
                "\ude00a", "\ud83d\ud83d\ude00\ude00", "\u2028\u2029")) {
            assertSameAsGenerator(NODES.textNode(s));
            ObjectNode named = NODES.objectNode();
            named.put(s, s);
            assertSameAsGenerator(named);
        }
    }

    @Test
    void writesEdgeNumbersAndEmptyContainersAsTheGeneratorDoes() throws IOException {
        ObjectNode o = NODES.objectNode();
        o.put("imin", Integer.MIN_VALUE).put("imax", Integer.MAX_VALUE).put("lmin", Long.MIN_VALUE)
                .put("lmax", Long.MAX_VALUE).put("zero", 0).put("neg", -1L).put("short", Short.MIN_VALUE);
        o.put("negzero", -0.0).put("poszero", 0.0).put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY)
                .put("ninf", Double.NEGATIVE_INFINITY).put("dmax", Double.MAX_VALUE).put("dmin", Double.MIN_VALUE)
                .put("e300", -1e300).put("e7", 1e7).put("em3", 1e-3).put("em4", 1.0e-4);
        o.put("fnan", Float.NaN).put("fmax", Float.MAX_VALUE).put("fmin", Float.MIN_VALUE).put("fnegzero", -0.0f);
        o.put("bd1", new BigDecimal("1E+3")).put("bd2", new BigDecimal("-0.000000123"))
                .put("bd3", new BigDecimal("123456789012345678901234567890.123456789"))
                .put("bd4", BigDecimal.ZERO.setScale(5)).put("bd5", new BigDecimal("1E-400"));
        o.put("bi", new BigInteger("-" + "9".repeat(80)));
        o.put("t", true).put("f", false).putNull("null");
        o.putArray("emptyArray");
        o.putObject("emptyObject");
        o.putArray("nested").addArray().addArray().addObject();
        o.set("textNull", NODES.textNode(null));
        assertSameAsGenerator(o);
        assertSameAsGenerator(NODES.objectNode());
        assertSameAsGenerator(NODES.arrayNode());
    }

    @Test
    void writesRandomTreesAsTheGeneratorDoes() throws IOException {
        for (int i = 0; i < 3_000; i++) {
            assertSameAsGenerator(randomNode(0));
        }
    }

    @Test
    void leavesUnknownNodesAndDeepTreesToTheGeneratorWithTheSameBytes() throws IOException {
        ObjectNode pojo = NODES.objectNode();
        pojo.set("pojo", new POJONode(Map.of("k", List.of(1, "two"))));
        ObjectNode binary = NODES.objectNode();
        binary.set("bin", new BinaryNode(new byte[] {1, 2, 3, (byte) 0xff}));
        JsonNode deep = NODES.textNode("bottom");
        for (int i = 0; i < JsonBytes.MAX_DEPTH + 5; i++) {
            deep = i % 2 == 0 ? NODES.arrayNode().add(deep) : NODES.objectNode().set("k\n" + i, deep);
        }
        for (JsonNode refused : List.of(pojo, binary, deep)) {
            JsonBytes mine = new JsonBytes(16);
            assertThat(mine.writeNode(refused)).as("%s", refused).isFalse();
        }

        // In a batch, such events go through the generator between events written directly.
        List<NewEvent> events = new ArrayList<>();
        List<JsonNode> data = List.of(randomNode(0), pojo, randomNode(0), binary, deep, randomNode(0));
        for (int i = 0; i < data.size(); i++) {
            events.add(new NewEvent("e-" + i, null, "t", data.get(i), i % 2 == 0 ? "c" : null, "a"));
        }
        Instant now = Instant.parse("2026-12-03T17:00:00.5Z");
        assertSameAsBinding(events, now);
    }

    @Test
    void encodesRandomEventsAsTheBodyRecordBinding() throws IOException {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Instant at = switch (i % 4) {
                case 0 -> null;
                case 1 -> Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L));
                case 2 -> Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
                default -> i % 8 == 3 ? Instant.parse("9999-12-31T23:59:59.999999Z")
                        : Instant.parse("0000-01-01T00:00:00Z");
            };
            String id = "e-" + i + (i % 3 == 0 ? "-x.y:z@w_v" : "");
            String type = i % 5 == 0 ? "type \"" + randomString() + "\" é😀" : "agent_completed";
            if (type.isBlank() || type.chars().anyMatch(Character::isISOControl)) {
                type = "type_" + i;
            }
            JsonNode data = i % 9 == 0 ? null : randomNodeWithoutNul(0);
            events.add(new NewEvent(id, at, type, data, i % 3 == 1 ? null : randomString() + "c",
                    i % 4 == 1 ? null : "agent-" + randomString()));
        }
        assertSameAsBinding(events, Instant.parse("2026-12-03T17:00:00.123456Z"));
    }

    @Test
    void rewrittenLinesMatchTheBindingToo() throws IOException {
        for (int i = 0; i < 200; i++) {
            JsonNode data = randomNode(0);
            Instant at = i % 10 == 0 ? Instant.parse("+10000-01-01T00:00:00.5Z") // outside IsoInstant's years
                    : Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
            EventLine e = new EventLine(i + 1, false, "e-" + i, at, "t" + randomString(), data,
                    i % 2 == 0 ? null : randomString(), randomString());
            String body = new String(LEGACY_WRITER.writeValueAsBytes(new LegacyBody(e.id(), at, e.eventType(),
                    e.correlationId(), e.agentId(), data)), StandardCharsets.UTF_8);
            assertThat(new String(EventCodec.line(e), StandardCharsets.UTF_8))
                    .isEqualTo("{\"sequence\":" + (i + 1) + "," + body.substring(1) + "\n");
        }
    }

    @Test
    void hashesIdsFromTheWrittenBytesAsFromTheStrings() {
        // The encoder hashes an ASCII id from the bytes it wrote; the window hashes stored ids from their strings.
        for (int len = 1; len <= 40; len++) {
            String id = randomAscii(len);
            byte[] padded = ("{\"" + id + "\"}").getBytes(StandardCharsets.US_ASCII);
            assertThat(RecentIds.hashAscii(padded, 2, len)).as(id).isEqualTo(RecentIds.hash(id));
        }
        List<NewEvent> events = new ArrayList<>();
        for (String id : List.of("e-t00-000000000123", "x", "12345678", "123456789", "é-unicode", "日本", "a.b:c@d_e")) {
            events.add(new NewEvent(id, null, "t", null, null, null));
        }
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, Instant.EPOCH);
        for (int i = 0; i < events.size(); i++) {
            assertThat(batch.idHashes()[i]).as(events.get(i).id()).isEqualTo(RecentIds.hash(events.get(i).id()));
        }
        // Ids that differ in one character, anywhere, never share a hash here (the window relies on few collisions).
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(RecentIds.hash(String.format("e-t%02d-%012d", i % 7, i)))).isTrue();
        }
    }

    private String randomAscii(int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('!' + random.nextInt(94)));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertSameAsGenerator(JsonNode node) throws IOException {
        JsonBytes mine = new JsonBytes(16);
        assertThat(mine.writeNode(node)).as("written directly: %s", node).isTrue();
        byte[] ours = Arrays.copyOf(mine.bytes, mine.size);
        assertThat(ours).as("%s", node).isEqualTo(generatorBytes(node));
    }

    /** What the codec's generator path writes for a {@code data} value. */
    private static byte[] generatorBytes(JsonNode node) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = Json.mapper().createGenerator(out)) {
            node.serialize(gen, Json.mapper().getSerializerProviderInstance());
        }
        return out.toByteArray();
    }

    private static void assertSameAsBinding(List<NewEvent> events, Instant now) throws IOException {
        EventCodec.EncodedBatch batch = EventCodec.encodeAll(events, now);
        assertThat(batch.size()).isEqualTo(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            Instant at = e.timestamp() != null ? e.timestamp() : now;
            byte[] legacy = LEGACY_WRITER.writeValueAsBytes(new LegacyBody(e.id(), at, e.eventType(),
                    e.correlationId(), e.agentId(), e.data()));
            byte[] ours = Arrays.copyOfRange(batch.bytes(), batch.start(i), batch.ends()[i]);
            assertThat(new String(ours, StandardCharsets.UTF_8)).as("event %d", i)
                    .isEqualTo(new String(legacy, StandardCharsets.UTF_8));
            assertThat(ours).as("event %d", i).isEqualTo(legacy);
        }
    }

    private JsonNode randomNode(int depth) {
        int kind = random.nextInt(depth >= 6 ? 9 : 11);
        return switch (kind) {
            case 0 -> NODES.textNode(randomString());
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextBoolean() ? random.nextLong() : (long) random.nextInt(100) - 50);
            case 3 -> NODES.numberNode(randomDouble());
            case 4 -> NODES.numberNode((float) randomDouble());
            case 5 -> NODES.numberNode(new BigDecimal(new BigInteger(random.nextInt(200) + 1, random)
                    .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), random.nextInt(80) - 40));
            case 6 -> NODES.numberNode(new BigInteger(random.nextInt(300) + 1, random).negate());
            case 7 -> NODES.booleanNode(random.nextBoolean());
            case 8 -> random.nextBoolean() ? NODES.nullNode() : NODES.numberNode((short) random.nextInt());
            case 9 -> {
                ObjectNode o = NODES.objectNode();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    o.set(randomString(), randomNode(depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    a.add(randomNode(depth + 1));
                }
                yield a;
            }
        };
    }

    /** A random tree that an event may carry (no NUL, which {@link NewEvent} refuses). */
    private JsonNode randomNodeWithoutNul(int depth) {
        JsonNode node = randomNode(depth);
        return node.toString().contains("\\u0000") ? NODES.objectNode().put("k", "v") : node;
    }

    private double randomDouble() {
        return switch (random.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern: subnormals, huge, tiny
            case 4 -> random.nextInt(2000) - 1000;
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    private String randomString() {
        int n = random.nextInt(random.nextInt(10) == 0 ? 200 : 12);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> sb.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
                case 2 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a pair
                default -> sb.append((char) (' ' + random.nextInt(95)));
            }
        }
        return sb.toString();
    }
}
