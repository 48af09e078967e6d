package io.prodigy.storage.core.layer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MicrometerStorageMetricsTest {

    @Test
    void exportsPerOperationCallsFailuresAndLatency() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config().withCache(true, CacheConfig.DEFAULT))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new MicrometerStorageMetrics(f.storage, Tags.of("app", "test")).bindTo(registry);

            PersistedSession s = f.storage.sessions().save(PersistedSession.create("session-m",
                    TestClock.DEFAULT_START));
            f.storage.sessions().load(s.id());
            try {
                f.storage.sessions().updateState("session-none", SessionState.PAUSED);
            } catch (NotFoundException expected) {
                // counted as a failure
            }

            FunctionTimer saves = registry.get("prodigy.storage.calls")
                    .tags("store", "sessions", "operation", "save", "backend", "memory", "app", "test")
                    .functionTimer();
            assertThat(saves.count()).isEqualTo(1);
            assertThat(saves.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(0);
            assertThat(registry.get("prodigy.storage.calls.failed").tags("operation", "updateState")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("prodigy.storage.errors").tags("outcome", "not_found").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("prodigy.storage.circuit.state").gauge().value()).isZero();
            assertThat(registry.get("prodigy.storage.cache.hits").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("prodigy.storage.cache.hit.rate").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void noOtherClassImportsMicrometerSoItStaysOptional() throws IOException {
        Path layer = Path.of("src/main/java/io/prodigy/storage/core");
        try (Stream<Path> files = Files.walk(layer)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("MicrometerStorageMetrics.java"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("io.micrometer");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }
}
