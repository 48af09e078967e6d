package io.prodigy.storage.cli.demo;

/**
 * The demo's knobs.
 *
 * @param jobs     how many MapReduce jobs to run, one after the other
 * @param items    work items per job
 * @param agents   concurrent agents per job
 * @param failRate share of items that fail at least once (0 to 1)
 * @param seed     makes the failures reproducible
 * @param crash    whether the first job's coordinator crashes mid-map and resumes
 */
record DemoOptions(int jobs, int items, int agents, double failRate, long seed, boolean crash) {}
