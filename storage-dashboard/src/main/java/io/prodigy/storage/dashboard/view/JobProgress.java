package io.prodigy.storage.dashboard.view;

/**
 * How far a MapReduce job is: work items completed against the total its {@code job_started} event announced
 * ({@code data.total_items}). Completed counts the {@code agent_completed} events, so an item retried to success counts
 * once per success; the percentage is capped at 100 and is 100 once the job completed.
 *
 * @param completedItems {@code agent_completed} events so far
 * @param totalItems     the announced total
 * @param percent        0–100
 */
public record JobProgress(long completedItems, long totalItems, int percent) {

    /** Type of the event that announces the total. */
    static final String STARTED = "job_started";
    /** Type of the event counted as one completed item. */
    static final String ITEM_COMPLETED = "agent_completed";

    static JobProgress of(long completed, long total, JobStatus status) {
        int pct = status == JobStatus.COMPLETED ? 100
                : (int) Math.min(100, total <= 0 ? 0 : completed * 100 / total);
        return new JobProgress(completed, total, pct);
    }
}
