package io.prodigy.storage.tck.fault;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Fault} injected into a {@link FaultInjectingStorage}: counts its calls and can be removed. */
public final class InjectedFault {

    private final Fault fault;
    private final Runnable onRemove;
    private final AtomicInteger matchingCalls = new AtomicInteger();
    private final AtomicInteger triggered = new AtomicInteger();
    private final AtomicBoolean removed = new AtomicBoolean();

    InjectedFault(Fault fault, Runnable onRemove) {
        this.fault = fault;
        this.onRemove = onRemove;
    }

    public Fault fault() {
        return fault;
    }

    /** Counts a matching call; returns whether the fault fires on it. */
    boolean fires(String operation) {
        if (removed.get() || !fault.matches(operation)) {
            return false;
        }
        boolean fires = fault.firesOn(matchingCalls.incrementAndGet());
        if (fires) {
            triggered.incrementAndGet();
        }
        return fires;
    }

    /** Calls that matched the fault's operation since it was injected. */
    public int matchingCalls() {
        return matchingCalls.get();
    }

    /** Calls the fault fired on. */
    public int timesTriggered() {
        return triggered.get();
    }

    /** Stops the fault; later calls pass untouched. Idempotent. */
    public void remove() {
        if (removed.compareAndSet(false, true)) {
            onRemove.run();
        }
    }

    @Override
    public String toString() {
        return fault + " (triggered " + triggered.get() + " of " + matchingCalls.get() + " calls)";
    }
}
