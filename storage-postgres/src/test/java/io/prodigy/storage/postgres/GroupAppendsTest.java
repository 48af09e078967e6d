package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.id.JobRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Group commit without a server: batches queued while a write runs go out together, and a bad one fails alone. */
class GroupAppendsTest {

    private static final JobRef JOB = JobRef.of("r", "j");

    private static PgEventStorage.Batch batch(String id) {
        List<String> one = new ArrayList<>(List.of(id));
        List<String> none = new ArrayList<>(Collections.singletonList(null));
        return new PgEventStorage.Batch(one, new ArrayList<>(Collections.singletonList(null)), List.of("t"),
                List.of("{}"), none, none);
    }

    @Test
    void appendsQueuedDuringAWriteAreWrittenTogetherAndABadOneFailsAlone() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        AtomicLong highWater = new AtomicLong();
        GroupAppends groups = new GroupAppends((job, batches) -> {
            groupSizes.add(batches.size());
            if (firstWriteStarted.getCount() > 0) {
                firstWriteStarted.countDown();
                await(othersQueued);
            }
            if (batches.stream().anyMatch(b -> b.ids().get(0).startsWith("bad"))) {
                throw new InvalidInputException("bad batch");
            }
            List<AppendResult> out = new ArrayList<>();
            for (PgEventStorage.Batch b : batches) {
                long seq = highWater.incrementAndGet();
                out.add(new AppendResult(job, seq, seq, 1, 0));
            }
            return out;
        });

        CompletableFuture<AppendResult> first = CompletableFuture.supplyAsync(() -> groups.append(JOB, batch("e-0")));
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<AppendResult>> rest = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String id = i == 3 ? "bad-3" : "e-" + i;
            rest.add(CompletableFuture.supplyAsync(() -> groups.append(JOB, batch(id))));
        }
        Thread.sleep(300); // let the six queue behind the first write
        othersQueued.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).firstSequence()).isEqualTo(1);
        List<Long> sequences = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < rest.size(); i++) {
            try {
                sequences.add(rest.get(i).get(10, TimeUnit.SECONDS).firstSequence());
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(InvalidInputException.class).hasMessage("bad batch");
                assertThat(i).as("only the bad batch fails").isEqualTo(2);
                failures++;
            }
        }
        assertThat(failures).isEqualTo(1);
        assertThat(sequences).doesNotHaveDuplicates().hasSize(5).allSatisfy(s -> assertThat(s).isBetween(2L, 6L));
        assertThat(groupSizes).as("the queued appends were written as one group first").contains(6);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
