package io.prodigy.storage.redis;

import io.prodigy.storage.error.CorruptionException;
import java.util.List;

/** Reading script replies: Jedis hands back {@link List}s, {@link String}s, {@link Long}s and {@code null}s. */
final class Reply {

    private final List<?> items;

    private Reply(List<?> items) {
        this.items = items;
    }

    static Reply of(Object reply) {
        if (!(reply instanceof List<?> list)) {
            throw new CorruptionException("A Redis script answered " + reply + " where a list was expected.");
        }
        return new Reply(list);
    }

    int size() {
        return items.size();
    }

    /** The status word a script puts first ({@code OK}, {@code CONFLICT}, …). */
    String status() {
        return string(0);
    }

    boolean is(String status) {
        return !items.isEmpty() && status.equals(string(0));
    }

    String string(int i) {
        Object o = items.get(i);
        return o == null ? null : o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : o.toString();
    }

    long number(int i) {
        Object o = items.get(i);
        if (o instanceof Long l) {
            return l;
        }
        return Long.parseLong(string(i));
    }

    Reply list(int i) {
        return of(items.get(i));
    }

    boolean isNull(int i) {
        return items.get(i) == null;
    }
}
