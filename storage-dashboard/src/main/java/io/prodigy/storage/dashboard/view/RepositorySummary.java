package io.prodigy.storage.dashboard.view;

/** One repository and how many jobs it holds. */
public record RepositorySummary(String repository, long jobCount) {}
