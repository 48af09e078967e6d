package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads back from a target every record a {@link RecordManifest} says should be there and compares counts and
 * checksums per record type and group. Used after an import, so "verified" means "read back from the store", not
 * "the writes returned".
 */
public final class ManifestVerifier {

    private ManifestVerifier() {}

    public static VerificationReport verify(RecordManifest manifest, UnifiedStorage target) {
        ReportBuilder report = new ReportBuilder();

        DigestSet expectedSessions = new DigestSet();
        DigestSet actualSessions = new DigestSet();
        manifest.sessions().forEach((id, hash) -> {
            expectedSessions.put(id, hash);
            target.sessions().load(id).ifPresent(s -> actualSessions.put(id, RecordDigests.hash(s)));
        });
        report.compare(RecordType.SESSION, StorageVerifier.GLOBAL, expectedSessions, actualSessions);

        Map<String, DigestSet[]> checkpointGroups = new TreeMap<>();
        manifest.checkpoints().forEach((ref, hash) -> {
            String group = ref.scope().isJob() ? ref.scope().job().repository() : StorageVerifier.GLOBAL;
            String key = (ref.scope().isJob() ? ref.scope().job().jobId() : "workflow " + ref.scope().workflowId())
                    + "/" + ref.id();
            DigestSet[] sets = checkpointGroups.computeIfAbsent(group, g -> new DigestSet[] {new DigestSet(),
                new DigestSet()});
            sets[0].put(key, hash);
            target.checkpoints().load(ref.scope(), ref.id()).ifPresent(c -> sets[1].put(key, RecordDigests.hash(c)));
        });
        checkpointGroups.forEach((group, sets) -> report.compare(RecordType.CHECKPOINT, group, sets[0], sets[1]));

        manifest.dlqItems().forEach((job, items) -> {
            DigestSet expected = new DigestSet();
            items.forEach(expected::put);
            DigestSet actual = new DigestSet();
            try (Stream<DlqItem> stored = Pages.stream(PageRequest.MAX_LIMIT,
                    page -> target.dlq().list(DlqFilter.forJob(job), page))) {
                stored.forEach(item -> actual.put(item.itemId(), RecordDigests.hash(item)));
            }
            report.compare(RecordType.DLQ_ITEM, job.toString(), expected, actual);
        });

        manifest.eventLogs().forEach((job, log) -> verifyLog(report, target, job, log));
        return report.build();
    }

    private static void verifyLog(ReportBuilder report, UnifiedStorage target, JobRef job,
            RecordManifest.EventLog log) {
        EventDigest actual = new EventDigest();
        try (Stream<EventRecord> events = target.events().query(EventFilter.forJob(job))) {
            events.forEach(actual::add);
        }
        String group = job.toString();
        report.eventRow(group, log.count(), log.checksum(), actual);
        if (actual.count() != log.count() || !actual.checksum().equals(log.checksum())) {
            report.mismatch(RecordType.EVENT, group, "log", "expected " + log.count() + " events with checksum "
                    + ReportBuilder.abbreviate(log.checksum()) + ", the target holds " + actual.count()
                    + " with checksum " + ReportBuilder.abbreviate(actual.checksum()));
        }
        long last = target.events().lastSequence(job);
        if (last != log.lastSequence()) {
            report.mismatch(RecordType.EVENT, group, "last sequence", "expected the log to end at sequence "
                    + log.lastSequence() + ", the target's ends at " + last);
        }
    }
}
