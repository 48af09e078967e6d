package io.prodigy.storage.tck.fault;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A fault rule for {@link FaultInjectingStorage}: which calls (an operation name), when (the n-th matching call, the
 * first n, from the n-th on, or every one) and what happens (fail before reaching the backend, apply and then fail,
 * or delay). Immutable; build one fluently:
 *
 * <pre>{@code
 * Fault.on("sessions.save").onCall(2).fail(() -> new StorageUnavailableException("connection reset"));
 * Fault.on("events.append").always().failAfterApplying(Fault.LOST_REPLY);    // the backend stored it, the answer was lost
 * Fault.on("sessions.*").firstCalls(3).delay(Duration.ofSeconds(5));        // slow, through the injected Sleeper
 * }</pre>
 *
 * <p><b>Operation names</b> are {@code <store>.<method>} as in the SPI: {@code sessions.save}, {@code events.append},
 * {@code checkpoints.latest} (both overloads), {@code dlq.claim}, {@code workflows.recordExecution},
 * {@code locks.tryAcquire}, {@code storage.flush}, {@code storage.health}, … ({@link #OPERATIONS} lists them);
 * {@code <store>.*} matches a whole store and {@code *} everything. A name that matches nothing is rejected, so a typo
 * cannot make a test pass vacuously.
 *
 * <p><b>Counting.</b> "n-th call" counts the calls matching this rule from the moment it is injected, 1-based.
 */
public final class Fault {

    /** A retryable "backend unavailable" error that applied nothing, the usual transient fault. */
    public static final Supplier<RuntimeException> UNAVAILABLE =
            () -> new StorageUnavailableException("Injected fault: storage backend unavailable");

    /**
     * A retryable error whose outcome is unknown: the reply was lost. Pair it with
     * {@link Selector#failAfterApplying} to play a backend that stored the change and then lost the answer.
     */
    public static final Supplier<RuntimeException> LOST_REPLY = () -> StorageUnavailableException.outcomeUnknown(
            "Injected fault: the storage backend's reply was lost", null);

    /** Every operation name the decorator reports. */
    public static final Set<String> OPERATIONS = Set.copyOf(List.of(
            "sessions.save", "sessions.load", "sessions.list", "sessions.delete", "sessions.updateState",
            "events.append", "events.query", "events.aggregate", "events.lastSequence", "events.listJobs",
            "events.subscribe", "events.purge", "events.deleteJob",
            "checkpoints.save", "checkpoints.load", "checkpoints.latest", "checkpoints.list", "checkpoints.delete",
            "checkpoints.prune",
            "dlq.add", "dlq.get", "dlq.list", "dlq.stats", "dlq.claim", "dlq.extendClaim", "dlq.remove", "dlq.release",
            "dlq.purge", "dlq.listJobs",
            "workflows.save", "workflows.load", "workflows.list", "workflows.delete", "workflows.recordExecution",
            "workflows.listExecutions", "workflows.executionCount",
            "locks.tryAcquire", "locks.acquire", "locks.extend", "locks.release", "locks.current", "locks.list",
            "locks.forceRelease",
            "storage.flush", "storage.health"));

    /** What a fault does. */
    public enum Action {
        /** Throw before the call reaches the backend: nothing is applied. */
        FAIL,
        /** Let the backend apply the call, then throw instead of returning: applied, but the caller cannot know. */
        FAIL_AFTER_APPLYING,
        /** Wait (through the {@link Sleeper}), then let the call proceed. */
        DELAY
    }

    private final String pattern;
    private final Trigger trigger;
    private final Action action;
    private final Supplier<? extends RuntimeException> error;
    private final Duration delay;

    private Fault(String pattern, Trigger trigger, Action action, Supplier<? extends RuntimeException> error,
            Duration delay) {
        this.pattern = pattern;
        this.trigger = trigger;
        this.action = action;
        this.error = error;
        this.delay = delay;
    }

    /**
     * Starts a rule for calls to {@code operation}: an operation name, {@code <store>.*}, or {@code *}.
     *
     * @throws IllegalArgumentException if the name matches no operation
     */
    public static Selector on(String operation) {
        Objects.requireNonNull(operation, "operation");
        boolean known = operation.equals("*") || OPERATIONS.contains(operation)
                || (operation.endsWith(".*") && OPERATIONS.stream().anyMatch(
                        op -> op.startsWith(operation.substring(0, operation.length() - 1))));
        if (!known) {
            throw new IllegalArgumentException("'" + operation + "' matches no storage operation. Use one of "
                    + new TreeSet<>(OPERATIONS) + ", '<store>.*' or '*'.");
        }
        return new Selector(operation);
    }

    boolean matches(String operation) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return operation.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(operation);
    }

    boolean firesOn(int matchingCall) {
        return trigger.firesOn(matchingCall);
    }

    public Action action() {
        return action;
    }

    Duration delay() {
        return delay;
    }

    RuntimeException newError() {
        RuntimeException e = error.get();
        return Objects.requireNonNull(e, "the fault's error supplier returned null");
    }

    @Override
    public String toString() {
        return "Fault[" + pattern + ", " + trigger + ", " + action + (action == Action.DELAY ? " " + delay : "") + "]";
    }

    /** First step of the builder: which calls. */
    public static final class Selector {
        private final String pattern;

        private Selector(String pattern) {
            this.pattern = pattern;
        }

        /** Only the {@code n}-th matching call (1-based). */
        public Trigger onCall(int n) {
            positive(n);
            return new Trigger(pattern, n, n, "call " + n);
        }

        /** The first {@code n} matching calls. */
        public Trigger firstCalls(int n) {
            positive(n);
            return new Trigger(pattern, 1, n, "first " + n + " calls");
        }

        /** The {@code n}-th matching call and every one after it, until the fault is removed. */
        public Trigger fromCall(int n) {
            positive(n);
            return new Trigger(pattern, n, Integer.MAX_VALUE, "from call " + n);
        }

        /** Every matching call, until the fault is removed or the faults are cleared. */
        public Trigger always() {
            return new Trigger(pattern, 1, Integer.MAX_VALUE, "every call");
        }

        private static void positive(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("calls are counted from 1, was " + n);
            }
        }
    }

    /** Second step of the builder: what happens. */
    public static final class Trigger {
        private final String pattern;
        private final int from;
        private final int to;
        private final String description;

        private Trigger(String pattern, int from, int to, String description) {
            this.pattern = pattern;
            this.from = from;
            this.to = to;
            this.description = description;
        }

        boolean firesOn(int call) {
            return call >= from && call <= to;
        }

        /** Throws {@code error}'s exception before the call reaches the backend. */
        public Fault fail(Supplier<? extends RuntimeException> error) {
            return new Fault(pattern, this, Action.FAIL, Objects.requireNonNull(error, "error"), Duration.ZERO);
        }

        /** {@link #fail} with {@link Fault#UNAVAILABLE}. */
        public Fault failUnavailable() {
            return fail(UNAVAILABLE);
        }

        /** Lets the backend apply the call, then throws {@code error}'s exception instead of returning. */
        public Fault failAfterApplying(Supplier<? extends RuntimeException> error) {
            return new Fault(pattern, this, Action.FAIL_AFTER_APPLYING, Objects.requireNonNull(error, "error"),
                    Duration.ZERO);
        }

        /** Waits {@code delay} through the decorator's {@link Sleeper}, then lets the call proceed. */
        public Fault delay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
            return new Fault(pattern, this, Action.DELAY, null, delay);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
