package io.prodigy.storage.s3;

import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Orders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The jobs under {@code <root><repo>/<job>/} (events, DLQ items) in {@link Orders#JOBS} order, read lazily from a
 * cursor: names are {@link KeyCodec#name} segments, so the key order of the directories is the job order and a page
 * starts with {@code start-after} at the cursor's job. A page costs one LIST (with delimiter) per repository it spans
 * plus one for the repositories, and whatever {@code keep} reads for each job (only for the jobs of the page and the
 * one after it).
 */
final class JobListing {

    private JobListing() {}

    /**
     * @param root       the directory holding one directory per repository
     * @param repository only this repository ({@code null}: all)
     * @param keep       whether a job is listed (it has an event, a live item)
     */
    static Page<JobRef> page(Backend b, Keyset<JobRef> keyset, String root, String repository,
            PageRequest request, Predicate<JobRef> keep) {
        Optional<PageKey> position = keyset.position(request);
        Iterator<JobRef> jobs = jobs(b, root, repository, position);
        List<JobRef> out = new ArrayList<>(request.limit());
        while (out.size() < request.limit() && jobs.hasNext()) {
            JobRef job = jobs.next();
            if (keep.test(job)) {
                out.add(job);
            }
        }
        boolean more = out.size() == request.limit() && jobs.hasNext();
        return new Page<>(out, more ? Optional.of(keyset.cursor(keyset.keyOf(out.get(out.size() - 1))))
                : Optional.empty());
    }

    /** The jobs after {@code position} (repository, job), lazily (a LIST only when the walk reaches it). */
    private static Iterator<JobRef> jobs(Backend b, String root, String repository, Optional<PageKey> position) {
        String fromRepo = position.map(p -> p.parts().get(0)).orElse(null);
        Iterator<String> repositories = repository != null ? List.of(repository).iterator()
                : b.store.children(root, fromRepo == null ? null : KeyCodec.beforeAll(dir(root, fromRepo)), 1000)
                        .map(KeyCodec::decodeName).iterator();
        return new Iterator<>() {
            private String repo;
            private Iterator<String> jobs = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!jobs.hasNext() && repositories.hasNext()) {
                    repo = repositories.next();
                    if (fromRepo != null && Orders.UTF8.compare(repo, fromRepo) < 0) {
                        continue;
                    }
                    String repoDir = dir(root, repo);
                    String startAfter = repo.equals(fromRepo)
                            ? KeyCodec.afterAll(dir(repoDir, position.get().parts().get(1))) : null;
                    jobs = b.store.children(repoDir, startAfter, 1000).iterator();
                }
                return jobs.hasNext();
            }

            @Override
            public JobRef next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return JobRef.of(repo, KeyCodec.decodeName(jobs.next()));
            }
        };
    }

    private static String dir(String parent, String name) {
        return parent + KeyCodec.name(name) + "/";
    }
}
