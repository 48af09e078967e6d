package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.event.EventStats;

/**
 * What the job page shows above its listings.
 *
 * @param summary the job's row of the overview
 * @param events  the job's event totals (every event, from {@code aggregate})
 * @param dlq     the job's DLQ totals
 */
public record JobDetail(JobSummary summary, EventStats events, DlqStats dlq) {}
