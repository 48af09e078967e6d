package io.prodigy.storage.cli.demo;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the job's stored outcome, reading only from storage: every item completed at most once (the resume redid
 * nothing), and every item is accounted for exactly once, either completed or still in the dead-letter queue.
 *
 * @param redone      items with more than one {@code agent_completed} event
 * @param unaccounted items neither completed nor in the dead-letter queue
 * @param both        items completed and yet still in the dead-letter queue
 */
record Verification(Set<String> redone, Set<String> unaccounted, Set<String> both) {

    boolean ok() {
        return redone.isEmpty() && unaccounted.isEmpty() && both.isEmpty();
    }

    static Verification check(UnifiedStorage storage, JobRef job, List<String> items) {
        Map<String, Long> completions;
        try (Stream<EventRecord> completed = storage.events().query(EventFilter.forJob(job)
                .withEventType(DemoEvents.AGENT_COMPLETED))) {
            completions = completed.collect(Collectors.groupingBy(e -> e.data().path("item_id").asText(),
                    TreeMap::new, Collectors.counting()));
        }
        Set<String> inDlq = storage.dlq().list(DlqFilter.forJob(job)).stream().map(DlqItem::itemId)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> redone = completions.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> unaccounted = items.stream().filter(i -> !completions.containsKey(i) && !inDlq.contains(i))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> both = inDlq.stream().filter(completions::containsKey)
                .collect(Collectors.toCollection(TreeSet::new));
        return new Verification(redone, unaccounted, both);
    }

    String describe() {
        return "redone " + redone + ", unaccounted " + unaccounted + ", completed but still dead-lettered " + both;
    }
}
