package io.prodigy.storage.id;

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

    @Override
    public int compareTo(JobRef other) {
        int c = repository.compareTo(other.repository);
        return c != 0 ? c : jobId.compareTo(other.jobId);
    }

    @Override
    public String toString() {
        return repository + "/" + jobId;
    }
}
