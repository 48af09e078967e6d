package io.prodigy.storage.migrate.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One text per JSON value, whatever backend stored it: object keys sorted, null-valued fields dropped, numbers
 * written by value ({@code 5}, {@code 5L} and {@code 5.0} are the same number). Two trees that mean the same thing
 * produce the same text, so a record read back from PostgreSQL JSONB, a file or memory compares equal to the one
 * written.
 *
 * <p>Null fields are dropped because backends differ on whether they keep them (the shared mapper omits nulls in
 * records) and the original tool writes {@code null} for every absent optional: absent and null mean the same.
 */
public final class CanonicalJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {}

    /** The canonical text of {@code node} ({@code null} and missing nodes give {@code null}). */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(node, gen);
        } catch (IOException e) {
            throw new UncheckedIOException("writing canonical JSON to memory failed", e);
        }
        return out.toString();
    }

    /** SHA-256 of the canonical text, as lower-case hex. */
    public static String sha256(JsonNode node) {
        return sha256(write(node));
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static void write(JsonNode node, JsonGenerator gen) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            gen.writeNull();
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!field.getValue().isNull() && !field.getValue().isMissingNode()) {
                    fields.add(field);
                }
            }
            fields.sort(Map.Entry.comparingByKey());
            gen.writeStartObject();
            for (Map.Entry<String, JsonNode> field : fields) {
                gen.writeFieldName(field.getKey());
                write(field.getValue(), gen);
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                write(element, gen);
            }
            gen.writeEndArray();
        } else if (node.isNumber()) {
            writeNumber(node, gen);
        } else if (node.isBoolean()) {
            gen.writeBoolean(node.booleanValue());
        } else if (node.isBinary()) {
            gen.writeBinary(node.binaryValue());
        } else {
            gen.writeString(node.asText());
        }
    }

    private static void writeNumber(JsonNode node, JsonGenerator gen) throws IOException {
        if (node.isIntegralNumber()) {
            gen.writeNumber(node.bigIntegerValue());
            return;
        }
        double d = node.doubleValue();
        if (node.isFloatingPointNumber() && !node.isBigDecimal() && (Double.isNaN(d) || Double.isInfinite(d))) {
            gen.writeString(Double.toString(d));
            return;
        }
        BigDecimal value = node.decimalValue().stripTrailingZeros();
        if (value.scale() <= 0) {
            gen.writeNumber(value.toBigIntegerExact());
        } else {
            gen.writeNumber(value.toPlainString());
        }
    }
}
