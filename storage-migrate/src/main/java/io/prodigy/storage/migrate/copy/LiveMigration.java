package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.migrate.MigrationException;
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
        CatchUp catchUp = new CatchUp(source, target, options.batchSize(), clock);
        if (!options.mirrorTarget()) {
            refuseStrangers(catchUp);
        }
        Instant since = clock.instant();
        CopyReport bulk = bulkCopy.apply(options.bulkCopy());
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

    /**
     * A live migration makes the target mirror the source, deleting what the source does not have. A target that
     * starts with such records may hold data of its own, so it is refused, before anything is written, unless the
     * caller says it is this migration's own target ({@link FollowOptions#mirrorTarget()}).
     */
    private static void refuseStrangers(CatchUp catchUp) {
        CatchUp.Strangers strangers = catchUp.strangers(5);
        if (strangers.count() > 0) {
            throw new MigrationException("The target holds " + strangers.count() + " record(s) the source does not"
                    + " have (" + String.join(", ", strangers.named()) + (strangers.count() > 5 ? ", …" : "")
                    + "). A live migration makes the target mirror the source and would delete them, so nothing was"
                    + " written. If this is the target of an interrupted live migration of this source, the source"
                    + " deleted them meanwhile: run again allowing it (CLI: --force; FollowOptions.withMirrorTarget)."
                    + " Otherwise choose an empty target.");
        }
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
