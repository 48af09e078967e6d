package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's input: synthetic documents to count words in, and a fixed plan of which ones fail and how. The plan is
 * derived from the seed and the item's index only, so it does not depend on which agent picks an item up or when:
 * the same seed gives the same outcome, crash or no crash.
 */
final class Corpus {

    /** How an item behaves when processed. */
    enum Behaviour {
        /** Succeeds at once. */
        OK,
        /** Fails its first attempt with a retryable error, succeeds on the retry. */
        FLAKY,
        /** Fails every attempt with a retryable error: dead-lettered after the last attempt. */
        BROKEN,
        /** Fails with an error that retrying cannot fix: dead-lettered at once. */
        FATAL
    }

    /**
     * One work item.
     *
     * @param id        {@code doc-007}
     * @param words     the document's words
     * @param behaviour what happens when an agent processes it
     * @param error     the error it fails with (for the non-OK behaviours)
     * @param workMillis how long one attempt takes
     */
    record Item(String id, List<String> words, Behaviour behaviour, String error, int workMillis) {
        ObjectNode json() {
            ObjectNode n = Json.nodes().objectNode();
            n.put("id", id);
            n.put("path", "corpus/" + id + ".txt");
            n.put("words", words.size());
            return n;
        }

        /** What mapping this item produces: its word count and the count of each word. */
        ObjectNode mapOutput() {
            ObjectNode counts = Json.nodes().objectNode();
            for (String w : words) {
                counts.put(w, counts.path(w).asInt(0) + 1);
            }
            ObjectNode out = Json.nodes().objectNode();
            out.put("words", words.size());
            out.set("counts", counts);
            return out;
        }
    }

    private static final String[] VOCABULARY = {"storage", "event", "lock", "fence", "token", "agent", "map", "reduce",
        "checkpoint", "queue", "retry", "lease", "commit", "append", "session", "workflow", "durable", "replay",
        "sequence", "shard", "merge", "crash", "resume", "index"};
    private static final String[] RETRYABLE = {"agent timed out after 300s", "command failed with exit code 1:"
            + " cargo test", "worktree creation failed: resource busy"};
    private static final String[] FATAL = {"merge conflict in src/lib.rs", "commit validation failed: no commits"
            + " were made"};

    private final List<Item> items;

    private Corpus(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /**
     * @param failRate the share of items that fail at least once; of those, about a third recover on retry, a third
     *                 fail every attempt and a third fail fatally
     */
    static Corpus generate(int count, double failRate, long seed) {
        List<Item> items = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Random r = new Random(seed * 31 + i);
            int length = 20 + r.nextInt(60);
            List<String> words = new ArrayList<>(length);
            for (int w = 0; w < length; w++) {
                // Skewed toward the start of the vocabulary so that the reduce has a clear top list.
                int index = (int) Math.min(VOCABULARY.length - 1, Math.abs(r.nextGaussian()) * VOCABULARY.length / 3);
                words.add(VOCABULARY[index]);
            }
            Behaviour b = Behaviour.OK;
            String error = null;
            if (r.nextDouble() < failRate) {
                double kind = r.nextDouble();
                if (kind < 0.34) {
                    b = Behaviour.FLAKY;
                    error = RETRYABLE[r.nextInt(RETRYABLE.length)];
                } else if (kind < 0.67) {
                    b = Behaviour.BROKEN;
                    error = RETRYABLE[r.nextInt(RETRYABLE.length)];
                } else {
                    b = Behaviour.FATAL;
                    error = FATAL[r.nextInt(FATAL.length)];
                }
            }
            items.add(new Item(String.format(Locale.ROOT, "doc-%03d", i), words, b, error, 4 + r.nextInt(16)));
        }
        return new Corpus(items);
    }

    List<Item> items() {
        return items;
    }

    Item get(String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no item " + id));
    }

    List<String> ids() {
        return items.stream().map(Item::id).toList();
    }
}
