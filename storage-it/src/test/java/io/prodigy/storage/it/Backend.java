package io.prodigy.storage.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The five backends, each able to make a fresh, empty store of its own for one test: a temp directory (file), a new
 * instance (memory), a schema (PostgreSQL), a key prefix (Redis), an object prefix (S3). Servers come from
 * {@link ItServers}.
 */
enum Backend {
    FILE {
        @Override
        TestStore fresh(String owner) {
            Path dir;
            try {
                dir = Files.createTempDirectory("prodigy-it-" + owner + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new TestStore(this, dir.toUri().toString(), Map.of(), Map.of(), () -> deleteTree(dir));
        }
    },
    MEMORY {
        @Override
        TestStore fresh(String owner) {
            return new TestStore(this, "memory:", Map.of(), Map.of(), () -> { });
        }
    },
    POSTGRES {
        @Override
        TestStore fresh(String owner) {
            ItServers.Postgres pg = ItServers.postgres();
            String schema = ("it_" + owner + "_" + suffix()).toLowerCase(Locale.ROOT);
            return new TestStore(this, pg.url(schema), Map.of(), Map.of(), () -> pg.dropSchema(schema));
        }
    },
    REDIS {
        @Override
        TestStore fresh(String owner) {
            ItServers.Redis redis = ItServers.redis();
            String prefix = "it:" + owner + ":" + suffix() + ":";
            return new TestStore(this, redis.url(prefix), Map.of(), Map.of(), () -> redis.dropPrefix(prefix));
        }
    },
    S3 {
        @Override
        TestStore fresh(String owner) {
            ItServers.S3 s3 = ItServers.s3();
            String prefix = "it/" + owner + "-" + suffix() + "/";
            Map<String, Object> credentials = s3.accessKeyId() == null ? Map.of() : Map.of("access_key_id",
                    s3.accessKeyId(), "secret_access_key", s3.secretAccessKey());
            return new TestStore(this, s3.url(prefix), credentials, s3.childEnvironment(),
                    () -> s3.dropPrefix(prefix));
        }
    };

    /** A new empty store for {@code owner} (lower-case letters, digits and underscores), dropped by its close. */
    abstract TestStore fresh(String owner);

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
