package io.prodigy.storage.redis;

import java.nio.charset.StandardCharsets;

/**
 * The index entries of one record, as the scripts keep them in the record's {@code ix} field: netstrings
 * {@code <bytes>:<key><bytes>:<member>…}, lengths in UTF-8 bytes. A write removes the old entries and adds these, in
 * the same script, so indexes never disagree with records whatever field changed.
 */
final class IndexEntries {

    private final StringBuilder encoded = new StringBuilder();

    IndexEntries add(String key, String member) {
        append(key);
        append(member);
        return this;
    }

    private void append(String s) {
        encoded.append(s.getBytes(StandardCharsets.UTF_8).length).append(':').append(s);
    }

    String encoded() {
        return encoded.toString();
    }
}
