package io.prodigy.storage.tck.fault;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Applies the injected faults to each call and records the call. Thread-safe. */
final class FaultEngine {

    private final List<InjectedFault> faults = new CopyOnWriteArrayList<>();
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final Sleeper sleeper;

    FaultEngine(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    InjectedFault inject(Fault fault) {
        InjectedFault[] holder = new InjectedFault[1];
        holder[0] = new InjectedFault(Objects.requireNonNull(fault, "fault"), () -> faults.remove(holder[0]));
        faults.add(holder[0]);
        return holder[0];
    }

    void clearFaults() {
        for (InjectedFault f : List.copyOf(faults)) {
            f.remove();
        }
    }

    List<RecordedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    void clearCalls() {
        calls.clear();
    }

    <T> T invoke(String operation, Supplier<T> call, Object... arguments) {
        List<Object> args = Collections.unmodifiableList(Arrays.asList(arguments.clone()));
        Duration delay = Duration.ZERO;
        Fault failure = null;
        for (InjectedFault injected : faults) {
            if (!injected.fires(operation)) {
                continue;
            }
            Fault f = injected.fault();
            if (f.action() == Fault.Action.DELAY) {
                delay = delay.plus(f.delay());
            } else if (failure == null) {
                failure = f;
            }
        }
        if (!delay.isZero()) {
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                StorageUnavailableException error = new StorageUnavailableException(
                        "Interrupted during an injected delay of " + operation, e);
                calls.add(new RecordedCall(operation, args, RecordedCall.Outcome.INJECTED_FAILURE, error));
                throw error;
            }
        }
        if (failure != null && failure.action() == Fault.Action.FAIL) {
            RuntimeException error = failure.newError();
            calls.add(new RecordedCall(operation, args, RecordedCall.Outcome.INJECTED_FAILURE, error));
            throw error;
        }
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            calls.add(new RecordedCall(operation, args, RecordedCall.Outcome.BACKEND_FAILED, e));
            throw e;
        }
        if (failure != null) {
            RuntimeException error = failure.newError();
            calls.add(new RecordedCall(operation, args, RecordedCall.Outcome.APPLIED_THEN_FAILED, error));
            throw error;
        }
        calls.add(new RecordedCall(operation, args, RecordedCall.Outcome.COMPLETED, null));
        return result;
    }

    void run(String operation, Runnable call, Object... arguments) {
        invoke(operation, () -> {
            call.run();
            return null;
        }, arguments);
    }
}
