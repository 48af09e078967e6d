package io.prodigy.storage.error;

/**
 * What a failed call did to the store. A call is never partially applied; after a failure it was either not applied
 * at all, or — when the acknowledgement was lost (a timeout, a connection dropped after the request was sent, a
 * COMMIT whose reply never came) — it may have been applied in full.
 *
 * <p>The retry layer uses this to decide: any operation whose failure was {@link #NOT_APPLIED} can be repeated; an
 * operation whose outcome is {@link #UNKNOWN} is repeated only where repeating it cannot apply it twice (reads,
 * idempotent writes, appends on a backend that drops re-sent event ids).
 */
public enum FailureOutcome {
    /** Nothing was changed: the call was refused, failed validation, or the backend rolled it back. */
    NOT_APPLIED,
    /** The call may have been applied in full; the caller cannot tell. Reading the store back can. */
    UNKNOWN
}
