package io.prodigy.storage.tck.fault;

import java.util.List;

/**
 * One call that went through a {@link FaultInjectingStorage}.
 *
 * @param operation {@code <store>.<method>}, for example {@code sessions.save}
 * @param arguments the call's arguments, as passed (records are immutable, so they show what was asked)
 * @param outcome   how it ended
 * @param error     the exception the caller got, or {@code null}
 */
public record RecordedCall(String operation, List<Object> arguments, Outcome outcome, RuntimeException error) {

    public enum Outcome {
        /** The backend applied it and the caller got the result. */
        COMPLETED,
        /** The backend threw by itself. */
        BACKEND_FAILED,
        /** An injected fault threw before the backend saw it: nothing was applied. */
        INJECTED_FAILURE,
        /** The backend applied it, then an injected fault threw: applied, but the caller got an error. */
        APPLIED_THEN_FAILED
    }

    /** Whether the backend applied the call (completed, or applied before an injected failure). */
    public boolean applied() {
        return outcome == Outcome.COMPLETED || outcome == Outcome.APPLIED_THEN_FAILED;
    }
}
