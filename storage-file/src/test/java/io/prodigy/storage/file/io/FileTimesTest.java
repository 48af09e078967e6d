package io.prodigy.storage.file.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The settle rule on fixed times: no clock is read. */
class FileTimesTest {

    private static final long NOW = 1_768_471_200_000L; // 2026-01-15T10:00:00Z

    /** A whole second {@code ageMillis} before {@link #NOW}, plus one nanosecond if {@code subSecond}. */
    private static FileTime aged(long ageMillis, boolean subSecond) {
        long millis = (NOW - ageMillis) / 1000 * 1000;
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis) + (subSecond ? 1 : 0);
        return FileTime.from(nanos, TimeUnit.NANOSECONDS);
    }

    @Test
    void aTimeWithASubSecondPartSettlesAfterTheShortWindow() {
        FileTime justWritten = FileTime.fromMillis(NOW - FileTimes.SETTLED_MILLIS + 1);
        FileTime settled = FileTime.fromMillis(NOW - FileTimes.SETTLED_MILLIS - 1);

        assertThat(FileTimes.isSettled(justWritten, NOW)).isFalse();
        assertThat(FileTimes.isSettled(FileTime.fromMillis(NOW - FileTimes.SETTLED_MILLIS), NOW)).isFalse();
        assertThat(FileTimes.isSettled(settled, NOW)).isTrue();
        assertThat(FileTimes.isSettled(aged(2_000, true), NOW)).isTrue();
    }

    @Test
    void aTimeInWholeSecondsSettlesAfterTheLongWindow() {
        assertThat(FileTimes.isSettled(aged(2_000, false), NOW)).isFalse();
        assertThat(FileTimes.isSettled(aged(FileTimes.SETTLED_COARSE_MILLIS, false), NOW)).isFalse();
        assertThat(FileTimes.isSettled(aged(FileTimes.SETTLED_COARSE_MILLIS + 1_000, false), NOW)).isTrue();
    }

    @Test
    void aTimeAheadOfTheClockIsNotSettled() {
        assertThat(FileTimes.isSettled(FileTime.fromMillis(NOW + 60_000), NOW)).isFalse();
    }
}
