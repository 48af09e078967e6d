package io.prodigy.storage.file.io;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Listing the jobs of a per-job tree ({@code events/{repo}/{job}/}, {@code dlq/{repo}/{job}/}) a page at a time. The
 * directory names give every candidate and its sort key; whether a job still holds data (a purged job keeps its
 * directory) is checked only for the jobs of the page, so a page costs the directory listings plus at most a page's
 * worth of checks.
 */
public final class JobDirectories {

    private JobDirectories() {}

    /**
     * @param root       the tree's root, holding one directory per repository
     * @param repository only this repository, or every one if {@code null}
     * @param hasData    whether a job's directory holds data, so that the job is listed
     */
    public static Page<JobRef> page(StoreContext ctx, Path root, String repository, Keyset<JobRef> keyset,
            PageRequest page, Predicate<Path> hasData) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        keyset.position(page);
        ctx.checkOpen();
        List<Path> repos = repository != null ? List.of(root.resolve(repository)) : JsonFiles.subdirectories(root);
        List<Map.Entry<JobRef, Path>> candidates = new ArrayList<>();
        for (Path repoDir : repos) {
            String repo = repoDir.getFileName().toString();
            if (Ids.problem(repo) != null) {
                continue; // not ours
            }
            for (Path jobDir : JsonFiles.subdirectories(repoDir)) {
                String jobId = jobDir.getFileName().toString();
                if (Ids.problem(jobId) == null) {
                    candidates.add(Map.entry(new JobRef(repo, jobId), jobDir));
                }
            }
        }
        return keyset.<Map.Entry<JobRef, Path>>by(e -> keyset.keyOf(e.getKey())).page(candidates, page,
                e -> hasData.test(e.getValue()) ? Optional.of(e.getKey()) : Optional.empty());
    }
}
