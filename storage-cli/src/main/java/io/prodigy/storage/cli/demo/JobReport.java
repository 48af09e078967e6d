package io.prodigy.storage.cli.demo;

import java.util.Map;

/**
 * What one demo job did, read back from storage where it matters. Serialized as is for {@code demo --json}.
 *
 * @param jobId            the job id
 * @param repository       the repository it is stored under
 * @param sessionId        the session that ran it
 * @param items            work items
 * @param succeeded        items completed in the map phase
 * @param fixedFromDlq     items that failed in the map phase and succeeded when the DLQ was reprocessed
 * @param dlqDepth         items left in the dead-letter queue
 * @param dlqItems         their ids
 * @param crash            the simulated crash and resume, or {@code null} if there was none
 * @param checkpoints      checkpoints stored, by kind
 * @param events           events stored
 * @param eventsByType     events stored, by type
 * @param reduce           the reduce phase's result
 * @param redoneItems      items completed more than once (always 0 when the resume works)
 * @param durationMillis   wall time of the job
 */
record JobReport(String jobId, String repository, String sessionId, int items, int succeeded, int fixedFromDlq,
        long dlqDepth, java.util.List<String> dlqItems, Crash crash, Map<String, Long> checkpoints, long events, Map<String, Long> eventsByType,
        ReducePhase.Result reduce, int redoneItems,
        @com.fasterxml.jackson.annotation.JsonProperty("duration_ms") long durationMillis) {

    /**
     * The simulated crash.
     *
     * @param afterItems     items finished before the crash
     * @param inFlightLost   items being processed when it hit (their work was lost and redone after the resume)
     * @param resumedFrom    the checkpoint the resume started from
     * @param fromCheckpoint items the checkpoint recorded as done
     * @param fromEventLog   items found done in the event log after the checkpoint
     * @param pendingAfterResume items processed after the resume
     */
    record Crash(int afterItems, int inFlightLost, String resumedFrom, int fromCheckpoint, int fromEventLog,
            int pendingAfterResume) {}
}
