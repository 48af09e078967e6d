package io.prodigy.storage.core.layer.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The real limiter, with real threads: a call blocked on a latch stands for a hanging backend. */
class ExecutorTimeLimiterTest {

    @Test
    void returnsTheResultAndRunsOnAPoolThread() throws Exception {
        try (ExecutorTimeLimiter limiter = new ExecutorTimeLimiter("memory", 4)) {
            AtomicReference<String> thread = new AtomicReference<>();
            String result = limiter.call(() -> {
                thread.set(Thread.currentThread().getName());
                return "ok";
            }, Duration.ofSeconds(30));

            assertThat(result).isEqualTo("ok");
            assertThat(thread.get()).startsWith("prodigy-storage-memory-");
        }
    }

    @Test
    void rethrowsTheCallsExceptionUnchanged() {
        try (ExecutorTimeLimiter limiter = new ExecutorTimeLimiter("memory", 4)) {
            NotFoundException error = new NotFoundException("session", "s-1");

            assertThatThrownBy(() -> limiter.call(() -> {
                throw error;
            }, Duration.ofSeconds(30))).isSameAs(error);
        }
    }

    @Test
    void givesUpOnAHangingCallWithoutInterruptingIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        try (ExecutorTimeLimiter limiter = new ExecutorTimeLimiter("memory", 4)) {
            // The limit is generous so that the call has surely started on a busy machine (a call that had not
            // started when its caller gave up is cancelled and never runs).
            assertThatThrownBy(() -> limiter.call(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                interrupted.compareAndSet(null, false);
                finished.countDown();
                return "late";
            }, Duration.ofMillis(300))).isInstanceOf(TimeoutException.class);

            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted.get()).as("the abandoned call ran to its end").isFalse();
        }
    }

    @Test
    void refusesNewCallsWhileEveryThreadIsBusy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorTimeLimiter limiter = new ExecutorTimeLimiter("memory", 1)) {
            assertThatThrownBy(() -> limiter.call(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, Duration.ofMillis(300))).isInstanceOf(TimeoutException.class);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> limiter.call(() -> "next", Duration.ofSeconds(30)))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("1 calls in progress");
            release.countDown();
        }
    }

    @Test
    void afterCloseCallsRunOnTheCallersThread() throws Exception {
        ExecutorTimeLimiter limiter = new ExecutorTimeLimiter("memory", 2);
        limiter.close();

        String thread = limiter.call(() -> Thread.currentThread().getName(), Duration.ofSeconds(1));

        assertThat(thread).isEqualTo(Thread.currentThread().getName());
    }
}
