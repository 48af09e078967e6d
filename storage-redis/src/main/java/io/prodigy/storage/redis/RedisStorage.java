package io.prodigy.storage.redis;

import io.prodigy.storage.Capability;
import io.prodigy.storage.Limits;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.support.BackendStorage;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.lease.LeaseLockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis backend: every store of {@link UnifiedStorage} in one Redis database under one key prefix, every
 * multi-key change one Lua script (docs/redis.md).
 *
 * <p>Durability is the server's: {@link Capability#DURABLE} only with the append-only file fsynced on every write,
 * read at open; health reports the settings each time and warns (DEGRADED) when a {@code allkeys-*} eviction
 * policy may delete the store's keys, or when the store's marker vanished since open (the server lost its data).
 */
final class RedisStorage extends BackendStorage {

    static final String BACKEND = "redis";
    /** Version of the key layout, kept in the store's marker. */
    static final String LAYOUT = "1";

    /** Everything a Redis store may declare; a store declares a subset that depends on its server and clock. */
    static final Set<Capability> ALL = Collections.unmodifiableSet(EnumSet.of(Capability.DURABLE,
            Capability.MULTI_PROCESS, Capability.IDEMPOTENT_APPEND, Capability.ATOMIC_FENCING,
            Capability.CLIENT_CLOCK));

    /** Most events per append (see {@link #limits()}). */
    static final int MAX_BATCH = 1_000;
    static final Limits LIMITS = new Limits(MAX_BATCH, Limits.DEFAULT.maxClaimSize(), Limits.DEFAULT.maxPayloadBytes(),
            Limits.DEFAULT.maxFailureHistory());

    private static final Logger LOG = LoggerFactory.getLogger(RedisStorage.class);

    private final RedisConfig config;
    private final RedisClient client;
    private final Keys keys;
    private final Clock clock;
    private final Set<Capability> capabilities;
    private final String created;
    private final String version;
    private final RedisSessionStorage sessions;
    private final RedisEventStorage events;
    private final RedisCheckpointStorage checkpoints;
    private final RedisDlqStorage dlq;
    private final RedisWorkflowStorage workflows;
    private final LeaseLockService locks;

    private RedisStorage(RedisConfig config, RedisClient client, StorageContext context, Opened opened) {
        this.config = config;
        this.client = client;
        this.keys = new Keys(config.keyPrefix());
        this.clock = context.clock();
        this.created = opened.created();
        this.version = opened.version();
        EnumSet<Capability> caps = EnumSet.of(Capability.MULTI_PROCESS, Capability.IDEMPOTENT_APPEND,
                Capability.ATOMIC_FENCING);
        if (opened.durability().durable()) {
            caps.add(Capability.DURABLE);
        }
        if (config.clientClock()) {
            caps.add(Capability.CLIENT_CLOCK);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
        Records records = new Records(client, keys);
        this.sessions = new RedisSessionStorage(client, keys, records);
        this.events = new RedisEventStorage(client, keys, config.pollInterval());
        this.checkpoints = new RedisCheckpointStorage(client, keys, records);
        this.dlq = new RedisDlqStorage(client, keys);
        this.workflows = new RedisWorkflowStorage(client, keys, records);
        this.locks = new LeaseLockService(new RedisLeaseStore(client, keys), owner());
        useStores(new StoreSet(sessions, events, checkpoints, dlq, workflows, locks));
    }

    /** What opening learned from the server. */
    private record Opened(String created, String version, Durability durability) {}

    /**
     * Connects, checks the credentials and database, writes the store's marker if it is new and reads the server's
     * durability settings. Closes the pool if any of that fails.
     */
    static RedisStorage open(RedisConfig config, int poolSize, Duration timeout, StorageContext context) {
        RedisClient client = RedisClient.open(config, poolSize, timeout, context.clock());
        try {
            Keys keys = new Keys(config.keyPrefix());
            client.followSlot(keys.base());
            Opened opened = client.call("opening the store", j -> {
                j.hsetnx(keys.meta(), "layout", LAYOUT);
                j.hsetnx(keys.meta(), "created", Long.toString(TimeCode.micros(client.clientClock()
                        ? context.clock().instant() : java.time.Instant.now())));
                java.util.List<String> marker = j.hmget(keys.meta(), "layout", "created");
                if (!LAYOUT.equals(marker.get(0))) {
                    throw new CorruptionException("The Redis store under key prefix '" + config.keyPrefix()
                            + "' at " + client.server() + " has key layout " + marker.get(0) + ", this version reads"
                            + " layout " + LAYOUT + ". Use a matching prodigy-storage version or another key_prefix.");
                }
                return new Opened(marker.get(1), serverVersion(j), Durability.probe(j));
            });
            RedisStorage storage = new RedisStorage(config, client, context, opened);
            Durability d = opened.durability();
            if (d.evicts()) {
                LOG.warn("Redis at {} runs with maxmemory-policy {}: when memory is full it may delete this store's"
                        + " keys (records, sequences, lock tokens). Use noeviction or a volatile-* policy.",
                        client.server(), d.evictionPolicy());
            }
            LOG.debug("Opened Redis storage at {} with key prefix '{}': {}; clock {}", client.server(),
                    config.keyPrefix(), d.describe(), config.clock());
            return storage;
        } catch (StorageException e) {
            client.close();
            throw openFailure(e, config);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Wrong credentials and a wrong database number are configuration errors with their key path. */
    private static StorageException openFailure(StorageException e, RedisConfig config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password")
                    || m.contains("invalid username-password")) {
                return StorageConfigException.of("storage.backend_config.password", "Redis refused the credentials"
                        + " given by {key} (or the URL's user and password): " + firstLine(m)
                        + ". Check the password and the user.");
            }
            if (m.contains("DB index is out of range") || m.contains("invalid DB index")) {
                return StorageConfigException.of("storage.backend_config.url", "The database number in {key} ('"
                        + io.prodigy.storage.config.Redaction.redactUrl(config.url()) + "') does not exist on the"
                        + " server: " + firstLine(m) + ". Use a number below the server's 'databases' setting.");
            }
            if (m.contains("SELECT is not allowed in cluster mode")) {
                return StorageConfigException.of("storage.backend_config.url", "The server named in {key} ('"
                        + io.prodigy.storage.config.Redaction.redactUrl(config.url()) + "') is a node of a Redis"
                        + " Cluster, which has only database 0; remove the database number from the URL.");
            }
        }
        return e;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String serverVersion(Jedis j) {
        for (String line : j.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "unknown";
    }

    private static String owner() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host;
    }

    @Override
    public String backendType() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /**
     * {@link Limits#DEFAULT} with at most {@value #MAX_BATCH} events per append: an append is one script, and Redis
     * serves nobody else while a script runs (about 5 to 10 µs per event on an idle server).
     */
    @Override
    public Limits limits() {
        return LIMITS;
    }

    /** Redis {@code TIME} (one round trip), or the context clock with {@code clock: client}; to microseconds. */
    @Override
    public Instant now() {
        return client.now();
    }

    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("server", client.server());
        details.put("cluster", client.isCluster());
        details.put("key_prefix", config.keyPrefix());
        details.put("clock", config.clock());
        details.put("redis_version", version);
        details.put("layout_version", LAYOUT);
        if (client.isClosed()) {
            return new HealthReport(HealthStatus.DOWN, BACKEND, "Redis storage is closed.", elapsed(started),
                    details, clock.instant());
        }
        Durability durability;
        boolean markerIntact;
        long usedMemory;
        try {
            Object[] probe = client.read("probing health", j -> {
                j.ping();
                String marker = j.hget(keys.meta(), "created");
                Durability d = Durability.probe(j);
                long used = 0;
                for (String line : j.info("memory").split("\r?\n")) {
                    if (line.startsWith("used_memory:")) {
                        used = Long.parseLong(line.substring("used_memory:".length()).trim());
                    }
                }
                return new Object[] {marker, d, used};
            });
            markerIntact = created.equals(probe[0]);
            durability = (Durability) probe[1];
            usedMemory = (Long) probe[2];
        } catch (StorageException | JedisException e) {
            return new HealthReport(HealthStatus.DOWN, BACKEND, "Redis at " + client.server()
                    + " does not answer: " + e.getMessage(), elapsed(started), details, clock.instant());
        }
        Duration latency = elapsed(started);
        details.put("probe_latency_ms", latency.toNanos() / 1_000_000.0);
        details.put("used_memory", usedMemory);
        details.put("pool_active", client.activeConnections());
        details.put("pool_idle", client.idleConnections());
        details.put("subscriptions", events.activeSubscriptions());
        details.put("store_marker_intact", markerIntact);
        details.putAll(durability.details());
        HealthStatus status = HealthStatus.HEALTHY;
        String message = "Redis at " + client.server() + " answers; " + durability.describe() + ".";
        if (!markerIntact) {
            status = HealthStatus.DEGRADED;
            message = "The store's marker at " + client.server() + " vanished since it was opened: the server lost"
                    + " its data (a restart without persistence, FLUSHALL or eviction). Sequences, records and lock"
                    + " tokens written before are gone; reopen the store to acknowledge.";
        } else if (durability.evicts()) {
            status = HealthStatus.DEGRADED;
            message = "Redis at " + client.server() + " runs with maxmemory-policy " + durability.evictionPolicy()
                    + ": when memory is full it may delete this store's keys. Use noeviction.";
        }
        return new HealthReport(status, BACKEND, message, latency, details, clock.instant());
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Stops subscriptions and the hint listener, then closes the pool. Idempotent. */
    @Override
    public void close() {
        if (client.isClosed()) {
            return;
        }
        events.close();
        client.close();
        LOG.debug("Closed Redis storage at {}", client.server());
    }
}
