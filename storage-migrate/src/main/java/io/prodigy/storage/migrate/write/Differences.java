package io.prodigy.storage.migrate.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Names the top-level fields in which two record contents differ, for conflict messages. */
final class Differences {

    private Differences() {}

    static String describe(JsonNode expected, JsonNode actual) {
        TreeSet<String> names = new TreeSet<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(names::add);
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!CanonicalJson.write(expected.path(name)).equals(CanonicalJson.write(actual.path(name)))) {
                differing.add(name);
            }
        }
        return differing.isEmpty() ? "contents differ" : "differs in " + String.join(", ", differing);
    }
}
