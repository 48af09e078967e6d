package io.prodigy.storage.cli.locks;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.GroupCommand;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code locks list|release}: the storage's leased locks. */
@Command(name = "locks", description = "List storage locks and release stale ones.", mixinStandardHelpOptions = true,
        subcommands = {LocksCommand.ListLocks.class, LocksCommand.Release.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage locks list", "  prodigy-storage locks release KEY --force"})
public final class LocksCommand extends GroupCommand {

    @Command(name = "list", description = "List the live locks with holder, expiry and fencing token.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage locks list", "  prodigy-storage --json locks list"})
    static final class ListLocks extends StorageCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Override
        protected int execute(CliContext ctx) {
            List<LockLease> leases = ctx.storage().locks().list();
            if (ctx.json()) {
                ctx.out().printJson(leases);
                return ExitCodes.OK;
            }
            if (leases.isEmpty()) {
                ctx.out().line("No locks are held.");
                return ExitCodes.OK;
            }
            Table t = Table.of("KEY", "OWNER", "ACQUIRED", "EXPIRES", "TOKEN").alignRight(4);
            for (LockLease l : leases) {
                t.row(l.key(), l.owner().isEmpty() ? l.holder() : l.owner(), Formats.time(l.acquiredAt()),
                        Formats.age(l.expiresAt(), ctx.now()), l.fencingToken());
            }
            t.print(ctx.out().out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "release", description = "Release a lock whose holder is gone. Refuses while the lease is live"
            + " (naming the holder) unless --force is given.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage locks release reduce:my-repo/job-1",
                "  prodigy-storage locks release reduce:my-repo/job-1 --force"})
    static final class Release extends StorageCommand {

        @Parameters(paramLabel = "KEY", description = "The lock key.")
        String key;

        @Option(names = "--force", description = "Break a live lease (its holder's fenced writes will be rejected"
                + " from then on), or repair a corrupt lock file keeping its fencing tokens above any token granted.")
        boolean force;

        @Override
        protected int execute(CliContext ctx) {
            CliContext.checkId("lock key", key);
            Optional<LockLease> live;
            try {
                live = ctx.storage().locks().current(key);
            } catch (CorruptionException e) {
                if (!force) {
                    throw e;
                }
                ctx.storage().locks().forceRelease(key); // repairs the file, keeping the token high-water mark
                report(ctx, true, null, "Repaired the corrupt lock file of '" + key + "': the lock is released and"
                        + " its next fencing token is above any token that may have been granted, so a stale"
                        + " holder's fenced writes are still rejected.");
                return ExitCodes.OK;
            }
            if (live.isEmpty()) {
                report(ctx, false, null, "Lock '" + key + "' is not held; nothing to release.");
                return ExitCodes.OK;
            }
            LockLease lease = live.get();
            if (!force) {
                throw new CommandFailedException("Lock '" + key + "' is held by " + describe(lease) + " and its lease"
                        + " is live until " + Formats.time(lease.expiresAt()) + " (" + Formats.age(lease.expiresAt(),
                        ctx.now()) + "). Refusing to release it. If that holder is gone, run again with --force.");
            }
            Optional<LockLease> broken = ctx.storage().locks().forceRelease(key);
            if (broken.isEmpty()) {
                report(ctx, false, null, "Lock '" + key + "' expired meanwhile; nothing to release.");
                return ExitCodes.OK;
            }
            LockLease b = broken.get();
            report(ctx, true, b, "Broke the live lease on '" + key + "' held by " + describe(b) + " (fencing token "
                    + b.fencingToken() + ", would have expired " + Formats.age(b.expiresAt(), ctx.now()) + "). If that"
                    + " holder is still running, its writes fenced with token " + b.fencingToken()
                    + " will now be rejected and it must re-acquire the lock.");
            return ExitCodes.OK;
        }

        private static String describe(LockLease l) {
            return (l.owner().isEmpty() ? "" : l.owner() + ", ") + "holder " + l.holder();
        }

        private void report(CliContext ctx, boolean released, LockLease broken, String text) {
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("key", key);
                doc.put("released", released);
                if (broken != null) {
                    doc.put("broken_lease", broken);
                }
                ctx.out().printJson(doc);
            } else {
                ctx.out().line(text);
            }
        }
    }
}
