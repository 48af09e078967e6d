package io.prodigy.storage.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.util.UUID;

/**
 * The body of every generation object: a random write id, whether this generation is a tombstone, and the record.
 *
 * <p>The write id makes each body unique, so a writer that got 412 after the SDK repeated its PUT can tell its own
 * earlier attempt (equal bytes) from another writer's object: the outcome of a lost response is never guessed.
 *
 * @param writeId random per write attempt
 * @param deleted {@code true} for a tombstone (the record was deleted at this generation)
 * @param data    the record as JSON ({@code null} for a tombstone)
 */
record Envelope(String writeId, boolean deleted, JsonNode data) {

    static Envelope of(Object record) {
        return new Envelope(UUID.randomUUID().toString(), false, Json.mapper().valueToTree(record));
    }

    static Envelope tombstone() {
        return new Envelope(UUID.randomUUID().toString(), true, null);
    }

    <T> T as(Class<T> type) {
        try {
            return Json.mapper().treeToValue(data, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptionException("A stored " + type.getSimpleName() + " cannot be read: " + e.getMessage()
                    + ". The object was written by an incompatible version or changed outside this library.", e);
        }
    }

    byte[] bytes() {
        return Codec.write(this);
    }

    static Envelope parse(String key, byte[] bytes) {
        return Codec.read(key, bytes, Envelope.class);
    }

    /** JSON in and out with the project's shared mapper; errors name the object key. */
    static final class Codec {
        private Codec() {}

        static byte[] write(Object value) {
            try {
                return Json.mapper().writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("The record cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }

        static <T> T read(String key, byte[] bytes, Class<T> type) {
            try {
                return Json.mapper().readValue(bytes, type);
            } catch (IOException | IllegalArgumentException e) {
                throw new CorruptionException("S3 object '" + key + "' is not a valid " + type.getSimpleName()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
