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

    /** A deep copy of {@code node}, or {@link NullNode} for {@code null}; stores use it to copy values in and out. */
    public static JsonNode copy(JsonNode node) {
        return node == null ? NullNode.getInstance() : node.deepCopy();
    }
}
