package io.prodigy.storage.file.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.file.io.GuardFiles;
import io.prodigy.storage.support.deadline.CallDeadline;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guard waits honour the deadline of the storage call on the thread ({@link CallDeadline}): held by another process
 * (the OS lock) or another thread (the JVM-wide lock) past the deadline, {@link GuardFiles#acquire} gives up with
 * {@link CallDeadline.Exceeded} and holds nothing; once the holder is gone it is granted. No assertion on time.
 */
class GuardDeadlineTest {

    @TempDir
    Path dir;

    @Test
    void aGuardHeldByAnotherProcessPastTheDeadlineIsGivenUpThenGrantedOnceTheHolderDies() throws Exception {
        Path guard = dir.resolve(".guard");
        ChildJvm child = ChildJvm.start(GuardHolderChild.class, guard.toString());
        try {
            assertThat(child.awaitReady(60)).as("child took the guard").isTrue();
            assertThatThrownBy(() -> withDeadline(TimeUnit.MILLISECONDS.toNanos(100),
                    () -> GuardFiles.acquire(guard, true, false).close()))
                    .isInstanceOf(CallDeadline.Exceeded.class)
                    .hasMessageContaining("held by another process");
        } finally {
            child.close();
        }
        // The kernel drops a dead process's locks: the same bounded wait now succeeds.
        withDeadline(TimeUnit.SECONDS.toNanos(60), () -> GuardFiles.acquire(guard, true, false).close());
    }

    @Test
    void aGuardHeldByAnotherThreadPastTheDeadlineIsGivenUpAndNothingIsHeldAfterwards() throws Exception {
        Path guard = dir.resolve(".guard");
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holding = holder.submit(() -> {
                try (GuardFiles.Guard g = GuardFiles.acquire(guard, true, false)) {
                    held.countDown();
                    release.await();
                }
                return null;
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> withDeadline(TimeUnit.MILLISECONDS.toNanos(100),
                    () -> GuardFiles.acquire(guard, true, false).close()))
                    .isInstanceOf(CallDeadline.Exceeded.class)
                    .hasMessageContaining("held by another thread");

            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            withDeadline(TimeUnit.SECONDS.toNanos(60), () -> GuardFiles.acquire(guard, true, false).close());
        } finally {
            holder.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static void withDeadline(long budgetNanos, Body body) throws Exception {
        long previous = CallDeadline.start(budgetNanos);
        try {
            body.run();
        } finally {
            CallDeadline.end(previous);
        }
    }
}
