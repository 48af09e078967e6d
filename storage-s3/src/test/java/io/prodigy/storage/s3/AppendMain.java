package io.prodigy.storage.s3;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.util.List;

/**
 * A child process of {@link S3MultiProcessTest}: appends {@code batches} batches of two events to one job through its
 * own storage, printing each acknowledged range. Arguments: prefix, repository, job, worker name, batches.
 */
public final class AppendMain {

    private AppendMain() {}

    public static void main(String[] args) {
        String prefix = args[0];
        JobRef job = JobRef.of(args[1], args[2]);
        String worker = args[3];
        int batches = Integer.parseInt(args[4]);
        try (UnifiedStorage s = new S3StorageProvider().open(S3TestServer.config(prefix),
                StorageContext.withoutProject())) {
            for (int i = 0; i < batches; i++) {
                var r = s.events().append(job, List.of(
                        new NewEvent(worker + "-" + i + "-a", null, "x", null, null, null),
                        new NewEvent(worker + "-" + i + "-b", null, "x", null, null, null)));
                System.out.println("acked " + worker + " " + i + " " + r.firstSequence() + " " + r.lastSequence());
            }
        }
        System.out.println("done " + worker);
    }
}
