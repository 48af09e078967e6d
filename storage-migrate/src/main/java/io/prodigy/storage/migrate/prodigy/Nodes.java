package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.migrate.verify.CanonicalJson;

/** Small readers for optional fields of the original tool's JSON. */
final class Nodes {

    private Nodes() {}

    /** The text of a string field, or {@code null}. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** The text of a string field if it is a valid id, else {@code null}. */
    static String id(JsonNode node, String field) {
        String v = text(node, field);
        return v != null && Ids.problem(v) == null ? v : null;
    }

    /** A non-negative integer field that fits an int, else {@code fallback}. */
    static int count(JsonNode node, String field, int fallback) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToInt() && v.isIntegralNumber() && v.intValue() >= 0 ? v.intValue() : fallback;
    }

    /** A string value as is; any other value as canonical JSON text (for string-only maps). */
    static String asString(JsonNode value) {
        return value.isTextual() ? value.textValue() : CanonicalJson.write(value);
    }

    /** {@code name} without {@code suffix}. */
    static String stem(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }
}
