package io.prodigy.storage.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.json.Json;

/** Records to and from the shared JSON form ({@link Json}), with errors that name the Redis key. */
final class Codec {

    private Codec() {}

    static String write(Object value, String what) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Cannot store " + what + ": it does not convert to JSON ("
                    + e.getOriginalMessage() + ").", e);
        }
    }

    static <T> T read(String json, Class<T> type, String key) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new CorruptionException("Redis key '" + key + "' holds a " + type.getSimpleName()
                    + " that cannot be read back: " + e.getMessage(), e);
        }
    }

    static JsonNode tree(String json, String key) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new CorruptionException("Redis key '" + key + "' holds JSON that cannot be read back: "
                    + e.getOriginalMessage(), e);
        }
    }
}
