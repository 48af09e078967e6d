package io.prodigy.storage.id;

import io.prodigy.storage.support.Orders;

/**
 * A job within a repository: the scope of events, DLQ items and MapReduce checkpoints. Sessions and workflow
 * definitions are global and take no repository.
 *
 * <p>Both parts are validated by {@link Ids#check}; a {@code JobRef} that exists is safe to use in a path.
 *
 * @param repository the repository name, see {@link RepositoryNames#fromPath}
 * @param jobId      the job id, unique within the repository
 */
public record JobRef(String repository, String jobId) implements Comparable<JobRef> {

    public JobRef {
        Ids.check("repository name", repository);
        Ids.check("job id", jobId);
    }

    public static JobRef of(String repository, String jobId) {
        return new JobRef(repository, jobId);
    }

    /** By repository, then job id, each by UTF-8 bytes ({@link Orders#JOBS}), the order of every job listing. */
    @Override
    public int compareTo(JobRef other) {
        return Orders.JOBS.compare(this, other);
    }

    @Override
    public String toString() {
        return repository + "/" + jobId;
    }
}
