package io.prodigy.storage.tck.fault;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.WrappingStorage;
import java.util.List;

/**
 * Wraps any {@link UnifiedStorage} and injects failures and delays into chosen calls, recording every call, so that
 * tests can prove what happens when a backend misbehaves: retries follow their schedule, non-retryable errors are not
 * retried, timeouts fire, a circuit breaker opens and closes, and nothing is applied twice.
 *
 * <h2>For backend authors</h2>
 * Wrap your storage (or the storage the layers decorate) and inject {@link Fault}s:
 * <pre>{@code
 * FaultInjectingStorage faulty = FaultInjectingStorage.wrap(myBackend, clock::advance);  // delays move a TestClock
 * faulty.inject(Fault.on("sessions.save").firstCalls(2).failUnavailable());            // transient outage
 * faulty.inject(Fault.on("events.append").onCall(1).failAfterApplying(Fault.LOST_REPLY)); // lost acknowledgement
 * faulty.inject(Fault.on("dlq.*").always().delay(Duration.ofSeconds(40)));              // a hanging store
 * ...
 * assertThat(faulty.appliedCount("events.append")).isEqualTo(1);                      // applied exactly once
 * assertThat(faulty.callCount("sessions.save")).isEqualTo(3);                          // two failures + success
 * }</pre>
 * <ul>
 *   <li>{@link Fault.Action#FAIL} throws before the backend sees the call (nothing applied);
 *       {@link Fault.Action#FAIL_AFTER_APPLYING} lets the backend apply it and then throws (the "commit succeeded but
 *       the connection dropped" case, the one that makes blind retries duplicate writes);
 *       {@link Fault.Action#DELAY} waits through the {@link Sleeper} you pass, then proceeds.</li>
 *   <li>Delays never need real sleeping: pass a sleeper that advances your {@code TestClock}, or one that blocks on a
 *       latch to simulate a hang.</li>
 *   <li>Calls are recorded in order with their arguments and {@link RecordedCall.Outcome}; {@link #appliedCount}
 *       counts the calls the backend really applied.</li>
 *   <li>Faults are evaluated in injection order; several delays add up; the first failing fault wins.</li>
 * </ul>
 * Thread-safe. Sub-store accessors return the same instances on every call; {@code close}, {@code backendType} and
 * {@code capabilities} pass through unrecorded. Health is reported as {@code storage.health} and flush as
 * {@code storage.flush}.
 */
public final class FaultInjectingStorage extends WrappingStorage {

    private final FaultEngine engine;

    private FaultInjectingStorage(UnifiedStorage delegate, FaultEngine engine) {
        super(delegate, new StoreSet(
                new FaultySessions(delegate.sessions(), engine),
                new FaultyEvents(delegate.events(), engine),
                new FaultyCheckpoints(delegate.checkpoints(), engine),
                new FaultyDlq(delegate.dlq(), engine),
                new FaultyWorkflows(delegate.workflows(), engine),
                new FaultyLocks(delegate.locks(), engine)));
        this.engine = engine;
    }

    /** Wraps {@code storage}; delay faults really sleep. */
    public static FaultInjectingStorage wrap(UnifiedStorage storage) {
        return new FaultInjectingStorage(storage, new FaultEngine(Sleeper.SYSTEM));
    }

    /** Wraps {@code storage}; delay faults wait through {@code sleeper}. */
    public static FaultInjectingStorage wrap(UnifiedStorage storage, Sleeper sleeper) {
        return new FaultInjectingStorage(storage, new FaultEngine(sleeper));
    }

    /** Adds a fault; it applies to calls from now on. */
    public InjectedFault inject(Fault fault) {
        return engine.inject(fault);
    }

    /** Removes every fault (calls already recorded stay). */
    public void clearFaults() {
        engine.clearFaults();
    }

    /** Every call so far, oldest first. */
    public List<RecordedCall> calls() {
        return engine.calls();
    }

    /** The calls of one operation ({@code sessions.save}), oldest first. */
    public List<RecordedCall> calls(String operation) {
        return engine.calls().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    /** How many calls of {@code operation} were made, whatever their outcome. */
    public int callCount(String operation) {
        return calls(operation).size();
    }

    /** How many calls of {@code operation} the backend applied (see {@link RecordedCall#applied()}). */
    public int appliedCount(String operation) {
        return (int) calls(operation).stream().filter(RecordedCall::applied).count();
    }

    /** Forgets the recorded calls. */
    public void clearCalls() {
        engine.clearCalls();
    }

    /** The wrapped storage (calls on it are neither faulted nor recorded). */
    public UnifiedStorage delegate() {
        return delegate;
    }









    @Override
    public HealthReport health() {
        return engine.invoke("storage.health", delegate::health);
    }

    @Override
    public void flush() {
        engine.run("storage.flush", delegate::flush);
    }

}
