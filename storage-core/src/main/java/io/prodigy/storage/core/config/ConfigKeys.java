package io.prodigy.storage.core.config;

import io.prodigy.storage.config.Redaction;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dotted key paths ({@code storage.retry_policy.max_retries}) for nested configuration maps, and the redacted text of
 * their values. One place, so that provenance, {@code info} output and error attribution agree on key names.
 */
final class ConfigKeys {

    /** The root of every storage key path. */
    static final String ROOT = "storage";

    private ConfigKeys() {}

    static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /**
     * The leaves of {@code map} by dotted path under {@code prefix}. Lists and scalars are leaves; empty maps have no
     * leaves.
     */
    static Map<String, Object> leaves(String prefix, Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        collect(prefix, map, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, ?> map, Map<String, Object> out) {
        map.forEach((key, value) -> {
            String path = join(prefix, key);
            if (value instanceof Map<?, ?> nested) {
                collect(path, (Map<String, ?>) nested, out);
            } else {
                out.put(path, value);
            }
        });
    }

    /**
     * The value as it may be shown: masked if any segment of the key names a secret, URL credentials removed, list
     * elements treated the same way.
     */
    static String display(String keyPath, Object value) {
        for (String segment : keyPath.split("\\.")) {
            if (Redaction.isSecretKey(segment)) {
                return Redaction.MASK;
            }
        }
        return displayValue(value);
    }

    private static String displayValue(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(ConfigKeys::displayValue).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> e.getKey() + "=" + display(String.valueOf(e.getKey()), e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return Redaction.redactUrl(String.valueOf(value));
    }
}
