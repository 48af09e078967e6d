package io.prodigy.storage.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of {@code toString}, logs and error messages. A key is secret if its name contains
 * {@code password}, {@code secret}, {@code token}, {@code credential}, {@code api_key}, {@code access_key} or
 * {@code private_key}; URL values lose their user-info part ({@code postgres://u:p@h} becomes
 * {@code postgres://****@h}).
 */
public final class Redaction {

    public static final String MASK = "****";

    private static final List<String> SECRET_WORDS =
            List.of("password", "passwd", "secret", "token", "credential", "api_key", "access_key", "private_key");
    /**
     * A URL's user-info: after {@code scheme:} and one or more slashes (a URL that went through path normalization,
     * such as a base directory given as {@code https://u:p@h/x}, keeps only one), up to the {@code @}. The
     * placeholders of the documented URL forms ({@code postgresql://user[:password]@host},
     * {@code redis://[:password@]host}) are left as they are, so that messages saying which form is expected stay
     * readable. Only these exact texts are spared.
     */
    private static final Pattern URL_USERINFO = Pattern.compile(
            "(\\b[A-Za-z][A-Za-z0-9+.-]*:/+)(?!user\\[:password]@|\\[:password@])[^/\\s]*@");

    private Redaction() {}

    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
        return SECRET_WORDS.stream().anyMatch(k::contains);
    }

    /** A copy of {@code map} (nested maps too) with secret values masked and URL credentials removed. */
    public static Map<String, Object> redact(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, redactValue(k, v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object redactValue(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (isSecretKey(key)) {
            return MASK;
        }
        if (value instanceof Map<?, ?> nested) {
            return redact((Map<String, ?>) nested);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> redactValue("", v)).toList();
        }
        if (value instanceof String s) {
            return redactUrl(s);
        }
        return value;
    }

    /**
     * Removes the user-info part of any URL in {@code text}. The one function every place that shows a setting, a
     * location, a health report or a log line with a configured value goes through.
     */
    public static String redactUrl(String text) {
        return text == null ? null : URL_USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
    }
}
