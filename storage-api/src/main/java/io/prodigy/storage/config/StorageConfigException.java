package io.prodigy.storage.config;

import io.prodigy.storage.error.InvalidInputException;
import java.util.Collection;
import java.util.List;

/**
 * Bad configuration, reported with the full key path ({@code storage.retry_policy.max_retries}), the bad value and
 * what would be valid. Values of secret keys are never included.
 */
public final class StorageConfigException extends InvalidInputException {

    private final String keyPath;
    private final String problem;

    private StorageConfigException(String keyPath, String problem) {
        super(problem.replace("{key}", keyPath));
        this.keyPath = keyPath;
        this.problem = problem;
    }

    /** A value of the wrong type or out of range. */
    public static StorageConfigException invalidValue(String keyPath, Object value, String expected) {
        String shown = Redaction.isSecretKey(lastSegment(keyPath)) ? "(redacted)" : quote(value);
        return new StorageConfigException(keyPath, "Invalid value " + shown + " for {key}: expected " + expected + ".");
    }

    /** A key the configuration does not define; suggests the closest known key. */
    public static StorageConfigException unknownKey(String keyPath, Collection<String> knownKeys) {
        String key = lastSegment(keyPath);
        String suggestion = DidYouMean.closest(key, knownKeys).map(k -> " Did you mean '" + k + "'?").orElse("");
        List<String> sorted = knownKeys.stream().sorted().toList();
        return new StorageConfigException(keyPath, "Unknown key '{key}'." + suggestion + " Valid keys here: "
                + String.join(", ", sorted) + ".");
    }

    /** Any other problem; {@code message} may contain {@code {key}} where the key path goes. */
    public static StorageConfigException of(String keyPath, String message) {
        return new StorageConfigException(keyPath, message);
    }

    /** The same problem, with {@code prefix} put in front of the key path. */
    public StorageConfigException under(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        return new StorageConfigException(keyPath.isEmpty() ? prefix : prefix + "." + keyPath, problem);
    }

    /** The full key path, for example {@code storage.retry_policy.max_retries}. */
    public String keyPath() {
        return keyPath;
    }

    private static String lastSegment(String keyPath) {
        int dot = keyPath.lastIndexOf('.');
        return dot < 0 ? keyPath : keyPath.substring(dot + 1);
    }

    private static String quote(Object value) {
        if (value == null) {
            return "(empty)";
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
