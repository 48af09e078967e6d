package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.migrate.verify.StorageVerifier;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link StorageMigrator#follow}: bulk copy, passes until the stop signal, cut-over. One thread, one pass at a time. */
final class LiveMigration {

    private static final Logger LOG = LoggerFactory.getLogger(LiveMigration.class);

    private final StorageMigrator migrator;
    private final UnifiedStorage source;
    private final UnifiedStorage target;
    private final Clock clock;

    LiveMigration(StorageMigrator migrator, UnifiedStorage source, UnifiedStorage target, Clock clock) {
        this.migrator = migrator;
        this.source = source;
        this.target = target;
        this.clock = clock;
    }

    FollowReport run(FollowOptions options, StopSignal stop, Function<CopyOptions, CopyReport> bulkCopy) {
        Instant since = clock.instant();
        CopyReport bulk = bulkCopy.apply(options.bulkCopy());
        CatchUp catchUp = new CatchUp(source, target, options.batchSize(), clock);
        List<FollowPass> passes = new ArrayList<>();
        boolean interrupted = false;
        try {
            while (!stop.await(options.pollInterval())) {
                FollowPass pass = catchUp.pass(passes.size() + 1, false, since, new ArrayList<>());
                since = record(pass, passes, options);
            }
        } catch (InterruptedException e) {
            // Interrupting the migrating thread is one more way to say stop: cut over, then let the caller see it.
            Thread.interrupted();
            interrupted = true;
            stop.request("the migrating thread was interrupted");
        }
        String reason = stop.reason().orElse("stop requested");
        LOG.info("Live migration: stopping ({}); cutting over", reason);
        Instant cutoverStart = clock.instant();
        VerificationReport verification = null;
        List<String> conflicts = new ArrayList<>();
        for (int round = 0; round < options.cutoverRounds(); round++) {
            conflicts = new ArrayList<>();
            FollowPass pass = catchUp.pass(passes.size() + 1, true, since, conflicts);
            since = record(pass, passes, options);
            verification = StorageVerifier.compare(source, target);
            if (verification.mirrors() || !pass.copiedAnything()) {
                break; // done, or the source is quiet and another pass would find the same
            }
        }
        List<HeldLock> locks = migrator.heldLocks();
        long claims = migrator.claimedItems();
        Duration cutover = Duration.between(cutoverStart, clock.instant());
        FollowReport report = new FollowReport(bulk, passes, reason, cutover, verification, locks, claims, conflicts);
        LOG.info(report.summary());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return report;
    }

    private static Instant record(FollowPass pass, List<FollowPass> passes, FollowOptions options) {
        passes.add(pass);
        if (pass.copiedAnything()) {
            LOG.debug("Live migration pass {}: {}", pass.number(), pass);
        }
        options.passes().onPass(pass);
        return pass.startedAt();
    }
}
