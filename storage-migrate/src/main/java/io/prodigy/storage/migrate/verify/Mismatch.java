package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.migrate.RecordType;

/**
 * One record that differs between source and target.
 *
 * @param key     the record's key within its group (session id, item id, {@code seq 42}, …)
 * @param problem what is wrong: missing in the target, different content (and which fields), …
 */
public record Mismatch(RecordType type, String group, String key, String problem) {

    @Override
    public String toString() {
        return type + " " + (group.equals("*") ? "" : group + " ") + key + ": " + problem;
    }
}
