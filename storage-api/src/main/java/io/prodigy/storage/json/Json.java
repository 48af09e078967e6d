package io.prodigy.storage.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prodigy.storage.error.InvalidInputException;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON conventions every backend shares when it serializes records: snake_case field names (as in spec 093),
 * ISO-8601 UTC timestamps, nulls omitted, unknown fields tolerated on read (so a newer writer's extra field does not
 * break an older reader). One mapper, so that the same record looks the same in a file, a PostgreSQL JSONB column
 * and an S3 object.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // Records are serialized by their components only; helpers such as CheckpointScope.isJob() are not data.
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    /** The shared, thread-safe mapper. Do not reconfigure it; copy it if you need different settings. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Node factory for building JSON trees. */
    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    /**
     * Returns {@code node} if every backend can store it: no text value or field name contains U+0000 (NUL).
     * PostgreSQL's {@code jsonb} and {@code text} refuse it, so the records refuse it for every backend alike rather
     * than let the same payload be stored on one backend and rejected on another.
     *
     * @param what what the payload is, for the message ({@code "event data"})
     * @throws InvalidInputException naming the JSON path of the first NUL
     */
    public static JsonNode checkStorable(String what, JsonNode node) {
        String below = nulPath(node);
        if (below != null) {
            throw new InvalidInputException("The " + what + " contains the character U+0000 (NUL) at $" + below
                    + ", which not every backend can store. Remove it, or encode binary values (for example as"
                    + " base64).");
        }
        return node;
    }

    /**
     * The path below {@code node} of its first string or field name that contains NUL ({@code ""} for {@code node}
     * itself), or {@code null}. Built on the way back, so the common case (no NUL) allocates nothing: data is checked
     * on every append.
     */
    private static String nulPath(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0 ? "" : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = nulPath(node.get(i));
                if (found != null) {
                    return "[" + i + "]" + found;
                }
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String found = key.indexOf('\u0000') >= 0 ? "" : nulPath(field.getValue());
                if (found != null) {
                    return "." + key.replace("\u0000", "\\u0000") + found;
                }
            }
        }
        return null;
    }

    /** A deep copy of {@code node}, or {@link NullNode} for {@code null}; stores use it to copy values in and out. */
    public static JsonNode copy(JsonNode node) {
        return node == null ? NullNode.getInstance() : node.deepCopy();
    }
}
