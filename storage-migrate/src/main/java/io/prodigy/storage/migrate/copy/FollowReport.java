package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.migrate.verify.VerificationReport;
import java.time.Duration;
import java.util.List;

/**
 * The result of {@link StorageMigrator#follow}: the bulk copy, the passes that followed the live source, and the
 * cut-over.
 *
 * @param bulk            the initial copy (not verified on its own: the source was changing)
 * @param passes          the passes after the bulk copy, cut-over passes included, in order
 * @param stopReason      why following stopped (the stop signal's reason)
 * @param cutover         how long the cut-over took: its catch-up passes and verifications
 * @param verification    the comparison of target and source at the end of the cut-over
 * @param locksAtCutover  lock leases the source held at cut-over; not copied
 * @param claimsAtCutover DLQ items under a live claim in the source at cut-over; the claims are not copied (the items
 *                        are, unclaimed)
 * @param conflicts       records the follow could not bring in line (for example an event log that the target holds
 *                        beyond the source's), and why
 */
public record FollowReport(CopyReport bulk, List<FollowPass> passes, String stopReason, Duration cutover,
        VerificationReport verification, List<HeldLock> locksAtCutover, long claimsAtCutover, List<String> conflicts) {

    public FollowReport {
        passes = List.copyOf(passes);
        locksAtCutover = List.copyOf(locksAtCutover);
        conflicts = List.copyOf(conflicts);
    }

    /** Whether the target mirrors the source after the cut-over (every record identical, nothing extra). */
    public boolean ok() {
        return conflicts.isEmpty() && verification.mirrors();
    }

    /** Whether the source still held locks at cut-over: their holders are still running against the source. */
    public boolean locksHeld() {
        return !locksAtCutover.isEmpty();
    }

    /** Events copied after the bulk copy, cut-over included. */
    public long eventsDuringFollow() {
        return passes.stream().mapToLong(FollowPass::events).sum();
    }

    /** Records created, changed or removed in the target after the bulk copy. */
    public long recordsDuringFollow() {
        return passes.stream().mapToLong(p -> p.records() + p.removed()).sum();
    }

    /** The largest lag of any pass. */
    public Duration maxLag() {
        return passes.stream().map(FollowPass::lag).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The lag of the last pass that copied something (the cut-over's, usually), or zero. */
    public Duration lastLag() {
        Duration last = Duration.ZERO;
        for (FollowPass p : passes) {
            if (p.copiedAnything()) {
                last = p.lag();
            }
        }
        return last;
    }

    public String summary() {
        StringBuilder sb = new StringBuilder("Live migration: ").append(passes.size()).append(" pass(es) after the bulk"
                + " copy, ").append(eventsDuringFollow()).append(" event(s) and ").append(recordsDuringFollow())
                .append(" record change(s) copied while following; lag max ").append(maxLag().toMillis())
                .append(" ms, last ").append(lastLag().toMillis()).append(" ms; stopped: ").append(stopReason)
                .append("; cut-over took ").append(cutover.toMillis()).append(" ms");
        conflicts.forEach(c -> sb.append("\n  conflict: ").append(c));
        locksAtCutover.forEach(l -> sb.append("\n  held at cut-over (not copied): ").append(l));
        if (claimsAtCutover > 0) {
            sb.append("\n  claimed DLQ items at cut-over (claims not copied): ").append(claimsAtCutover);
        }
        sb.append('\n').append(verification.summary());
        return sb.toString();
    }
}
