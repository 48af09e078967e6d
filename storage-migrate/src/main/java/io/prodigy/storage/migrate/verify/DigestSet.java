package io.prodigy.storage.migrate.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The records of one type and group (for example the DLQ items of one job) as key → content hash. Its checksum does
 * not depend on the order records were read in: it is the SHA-256 of the sorted {@code key\thash} lines.
 */
public final class DigestSet {

    private final TreeMap<String, String> hashes = new TreeMap<>();

    public void put(String key, String hash) {
        hashes.put(key, hash);
    }

    public String get(String key) {
        return hashes.get(key);
    }

    public int size() {
        return hashes.size();
    }

    public SortedMap<String, String> entries() {
        return Collections.unmodifiableSortedMap(hashes);
    }

    /** Checksum over all entries. */
    public String checksum() {
        return checksumOf(hashes);
    }

    /** Checksum over the entries whose key is in {@code keys} (the part of a target that mirrors a source). */
    public String checksumOver(Iterable<String> keys) {
        TreeMap<String, String> subset = new TreeMap<>();
        for (String key : keys) {
            String hash = hashes.get(key);
            if (hash != null) {
                subset.put(key, hash);
            }
        }
        return checksumOf(subset);
    }

    private static String checksumOf(Map<String, String> entries) {
        MessageDigest digest = CanonicalJson.newDigest();
        entries.forEach((k, v) -> digest.update((k + "\t" + v + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }
}
