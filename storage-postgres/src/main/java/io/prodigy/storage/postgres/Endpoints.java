package io.prodigy.storage.postgres;

import io.prodigy.storage.config.Redaction;
import java.util.regex.Pattern;

/** How a JDBC URL is shown to humans: without user-info and without secret query parameters. */
final class Endpoints {

    /** {@code password=…} and the like in a query string, up to the next {@code &}. */
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)([?&](?:password|sslpassword|[a-z_]*secret[a-z_]*|[a-z_]*token[a-z_]*)=)[^&]*");

    private Endpoints() {}

    /** {@code jdbc:postgresql://h:5432/db?password=x&ssl=true} becomes {@code …?password=****&ssl=true}. */
    static String display(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        return SECRET_PARAM.matcher(Redaction.redactUrl(jdbcUrl)).replaceAll("$1" + Redaction.MASK);
    }
}
