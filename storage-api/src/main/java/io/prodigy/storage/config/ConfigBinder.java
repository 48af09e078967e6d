package io.prodigy.storage.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a configuration map (parsed from YAML, built from the environment or in code) to a typed record, strictly:
 * unknown keys are rejected with a did-you-mean, values of the wrong type are rejected instead of coerced, and every
 * error names the full key path, the bad value and the valid choices. Missing keys take the defaults' values.
 *
 * <p>Conventions: keys are snake_case versions of the record's component names; durations use
 * {@link Durations}' syntax; paths may start with {@code ~} for the user's home; {@link Secret} components take a
 * string and never print it.
 *
 * <p>Providers use it for their {@code backend_config}:
 * <pre>{@code FileConfig cfg = ConfigBinder.bind(config.backendConfig(), FileConfig.class, FileConfig.DEFAULT,
 *         "storage.backend_config");}</pre>
 */
public final class ConfigBinder {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(conventions())
            .build();

    private ConfigBinder() {}

    /**
     * @param raw       the user's keys (nested maps for nested records); may be {@code null} or empty
     * @param type      the record to bind to
     * @param defaults  values for keys the user did not give
     * @param keyPrefix the key path of {@code raw}, for messages, for example {@code storage.backend_config}
     * @throws StorageConfigException for an unknown key or a bad value
     */
    public static <T> T bind(Map<String, ?> raw, Class<T> type, T defaults, String keyPrefix) {
        Map<String, Object> merged = toMap(defaults);
        if (raw != null) {
            deepMerge(merged, raw);
        }
        try {
            return MAPPER.convertValue(merged, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException jme) {
                throw translate(jme, merged, keyPrefix);
            }
            throw StorageConfigException.of(keyPrefix, "Invalid configuration at {key}: " + e.getMessage());
        }
    }

    /** The record as a map of snake_case keys (durations formatted, secrets masked). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object record) {
        if (record == null) {
            return new LinkedHashMap<>();
        }
        return MAPPER.convertValue(record, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> target, Map<String, ?> overrides) {
        overrides.forEach((key, value) -> {
            Object existing = target.get(key);
            if (existing instanceof Map<?, ?> existingMap && value instanceof Map<?, ?> valueMap) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existingMap);
                deepMerge(copy, (Map<String, ?>) valueMap);
                target.put(key, copy);
            } else {
                target.put(key, value);
            }
        });
    }

    private static StorageConfigException translate(JsonMappingException e, Map<String, Object> merged,
            String prefix) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            if (path.isEmpty() || !path.get(path.size() - 1).equals(u.getPropertyName())) {
                path.add(u.getPropertyName());
            }
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).toList();
            return StorageConfigException.unknownKey(join(prefix, path), known);
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            Throwable cause = e.getCause();
            String objectPath = join(prefix, path);
            if (cause instanceof StorageConfigException sce) {
                return sce.under(objectPath);
            }
            return StorageConfigException.of(objectPath, "Invalid configuration at {key}: " + cause.getMessage());
        }
        String keyPath = join(prefix, path);
        Object value = e instanceof InvalidFormatException ife ? ife.getValue() : lookup(merged, path);
        Class<?> target = e instanceof MismatchedInputException mie ? mie.getTargetType() : null;
        return StorageConfigException.invalidValue(keyPath, value, expectation(target));
    }

    private static Object lookup(Map<String, Object> root, List<String> path) {
        Object current = root;
        for (String part : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static String join(String prefix, List<String> path) {
        String tail = String.join(".", path);
        if (prefix == null || prefix.isEmpty()) {
            return tail;
        }
        return tail.isEmpty() ? prefix : prefix + "." + tail;
    }

    static String expectation(Class<?> target) {
        if (target == null) {
            return "a value of the right type";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "a whole number";
        }
        if (target == double.class || target == Double.class || target == float.class || target == Float.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == Duration.class) {
            return Durations.SYNTAX;
        }
        if (target == Path.class) {
            return "a file system path";
        }
        if (target.isEnum()) {
            return "one of: " + Arrays.stream(target.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a mapping of keys to values";
        }
        if (List.class.isAssignableFrom(target)) {
            return "a list";
        }
        if (target == String.class || target == Secret.class) {
            return "a string";
        }
        return "a value of type " + target.getSimpleName();
    }

    private static SimpleModule conventions() {
        SimpleModule module = new SimpleModule("prodigy-config");
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    Object value = p.currentToken().isNumeric() ? p.getNumberValue() : p.getText();
                    throw InvalidFormatException.from(p, "expected a duration string", value, Duration.class);
                }
                String text = p.getText();
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
                }
            }
        });
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        module.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                    throw InvalidFormatException.from(p, "expected a path", p.getText(), Path.class);
                }
                return expandHome(p.getText());
            }
        });
        module.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        return module;
    }

    /**
     * {@code ~} and {@code ~/x} become the user's home and {@code home/x} ({@link HomeDirectory#current()}:
     * {@code $HOME}, else {@code user.home}); other paths are unchanged.
     */
    public static Path expandHome(String text) {
        return HomeDirectory.expand(text, HomeDirectory.current());
    }
}
