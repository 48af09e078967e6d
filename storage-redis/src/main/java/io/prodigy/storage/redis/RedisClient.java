package io.prodigy.storage.redis;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.support.InstantRange;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * One store's connection to Redis: a Jedis pool opened once and closed with the store, script calls by SHA with a
 * reload on {@code NOSCRIPT}, error translation ({@link RedisErrors}) and the store's clock.
 *
 * <p><b>Cluster.</b> Every key of a store is in the slot of its hash tag, so a store lives on the one master that serves
 * that slot. If the {@code url} names a node of a Redis Cluster, {@link #followSlot} asks it ({@code CLUSTER SLOTS})
 * which master that is and the pool connects there; a command answered {@code MOVED} (the slot moved: a failover, a
 * resharding that finished) was not run, so the pool follows the redirection and the command is sent again.
 *
 * <p><b>Clock.</b> With the server clock, scripts read {@code TIME} themselves (argument {@code -1}), so a lease or
 * claim is decided by one clock whatever host asks; {@link #now()} asks {@code TIME} too. With the client clock the
 * caller's time is passed in.
 */
final class RedisClient implements AutoCloseable {

    /** How many {@code MOVED} redirections one call follows before it gives up. */
    private static final int MAX_REDIRECTIONS = 3;

    private final JedisPoolConfig poolConfig;
    private volatile JedisPool pool;
    private volatile HostAndPort address;
    private final JedisClientConfig clientConfig;
    private volatile String server;
    private volatile boolean cluster;
    private final int database;
    private final String keyPrefix;
    private volatile RedisErrors errors;
    private final Clock clock;
    private final boolean clientClock;
    private volatile boolean closed;

    private RedisClient(RedisConfig config, int poolSize, Duration timeout, Clock clock) {
        URI uri = parse(config.url());
        this.address = JedisURIHelper.getHostAndPort(uri);
        this.database = JedisURIHelper.hasDbIndex(uri) ? dbIndex(uri) : 0;
        String password = config.password() != null && !config.password().isEmpty() ? config.password().reveal()
                : JedisURIHelper.getPassword(uri);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        this.clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .user(JedisURIHelper.getUser(uri))
                .password(password)
                .database(database)
                .ssl(uri.getScheme().equals("rediss"))
                .clientName("prodigy-storage")
                .resp2()
                .build();
        this.poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMaxWait(timeout);
        this.pool = new JedisPool(poolConfig, address, clientConfig);
        this.server = describe(address, database);
        this.keyPrefix = config.keyPrefix();
        this.errors = new RedisErrors(server, keyPrefix);
        this.clock = clock;
        this.clientClock = config.clientClock();
    }

    /** Opens the pool (connections are made on first use). */
    static RedisClient open(RedisConfig config, int poolSize, Duration timeout, Clock clock) {
        return new RedisClient(config, poolSize, timeout, clock);
    }

    /** {@code host:port/db}, for messages and health; never credentials. */
    String server() {
        return server;
    }

    int database() {
        return database;
    }

    RedisErrors errors() {
        return errors;
    }

    /** Runs {@code work} on a pooled connection; Jedis failures become storage errors naming {@code what}. */
    <T> T call(String what, Function<Jedis, T> work) {
        ensureOpen();
        for (int redirections = 0; ; redirections++) {
            try (Jedis jedis = pool.getResource()) {
                return work.apply(jedis);
            } catch (JedisMovedDataException e) {
                if (!cluster || redirections >= MAX_REDIRECTIONS) {
                    throw errors.map(what, e);
                }
                follow(e.getTargetNode()); // MOVED: the server ran nothing, so sending it again is safe
            } catch (JedisException e) {
                throw errors.map(what, e);
            }
        }
    }

    /**
     * {@link #call} for work that changes nothing: a broken connection is tried once more on a fresh one. After a
     * server restart every pooled connection is dead, and the first read on each would fail otherwise.
     */
    <T> T read(String what, Function<Jedis, T> work) {
        ensureOpen();
        try (Jedis jedis = pool.getResource()) {
            return work.apply(jedis);
        } catch (JedisConnectionException | JedisMovedDataException first) {
            return call(what, work);
        } catch (JedisException e) {
            throw errors.map(what, e);
        }
    }

    /**
     * If the server is a node of a Redis Cluster, points the pool at the master that serves {@code hashTag}'s slot
     * (every key of the store is in it). A cluster has only database 0: it refuses the {@code SELECT} of another.
     */
    void followSlot(String hashTag) {
        int slot = JedisClusterCRC16.getSlot(hashTag);
        HostAndPort owner = call("opening the store", j -> {
            String info;
            try {
                info = j.info(); // the default sections: "server" (redis_mode) and "cluster"
            } catch (JedisDataException e) {
                return null; // INFO refused (an ACL, a managed service): not a cluster we can find our way in
            }
            if (info.contains("redis_mode:sentinel")) {
                throw StorageConfigException.of("url", "The server named in {key} (" + server + ") is a Redis"
                        + " Sentinel, which holds no data: this store does not discover masters through Sentinel."
                        + " Use the address of the master (or of a proxy that follows it); see docs/redis.md.");
            }
            if (!info.contains("cluster_enabled:1")) {
                return null;
            }
            for (Object range : j.clusterSlots()) {
                List<?> r = (List<?>) range;
                if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                    List<?> master = (List<?>) r.get(2);
                    String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
                    return new HostAndPort(host.isEmpty() ? address.getHost() : host,
                            ((Long) master.get(1)).intValue());
                }
            }
            throw new StorageUnavailableException("Redis Cluster at " + server + " has no node serving slot " + slot
                    + " (the slot of this store's key prefix): check CLUSTER SLOTS; the cluster is not ready.");
        });
        if (owner == null) {
            return;
        }
        cluster = true; // (a database other than 0 failed above: a cluster refuses SELECT)
        follow(owner);
    }

    /** Whether the server is a Redis Cluster (the pool then serves the master of the store's slot). */
    boolean isCluster() {
        return cluster;
    }

    /** Points the pool at {@code target}, closing the old one (connections in use are closed when returned). */
    private synchronized void follow(HostAndPort target) {
        if (target.equals(address)) {
            return;
        }
        JedisPool old = pool;
        pool = new JedisPool(poolConfig, target, clientConfig);
        address = target;
        server = describe(target, database);
        errors = new RedisErrors(server, keyPrefix);
        old.close();
    }

    private static String describe(HostAndPort address, int database) {
        return address.getHost() + ":" + address.getPort() + "/" + database;
    }

    /** Runs a script; see {@link Script}. */
    Object script(String what, Script script, List<String> keys, List<String> args) {
        return call(what, jedis -> run(jedis, script, keys, args));
    }

    /** {@link #script} for a script that only reads: retried once on a broken connection, as {@link #read}. */
    Object readScript(String what, Script script, List<String> keys, List<String> args) {
        return read(what, jedis -> run(jedis, script, keys, args));
    }

    static Object run(Jedis jedis, Script script, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(script.sha(), keys, args);
        } catch (JedisNoScriptException e) {
            jedis.scriptLoad(script.source());
            return jedis.evalsha(script.sha(), keys, args);
        }
    }

    /** The time argument of a script: the caller's time in microseconds, or -1 for the server's {@code TIME}. */
    String nowArg() {
        return clientClock ? Long.toString(TimeCode.micros(clock.instant())) : "-1";
    }

    /** The store's time, to microseconds. */
    Instant now() {
        if (clientClock) {
            ensureOpen();
            return InstantRange.normalize(clock.instant());
        }
        List<String> t = read("reading the server time", Jedis::time);
        return TimeCode.ofMicros(Long.parseLong(t.get(0)) * 1_000_000L + Long.parseLong(t.get(1)));
    }

    boolean clientClock() {
        return clientClock;
    }

    /** A new connection outside the pool (for pub/sub, which holds its connection); the caller closes it. */
    Jedis dedicatedConnection() {
        ensureOpen();
        return new Jedis(address, clientConfig);
    }

    int activeConnections() {
        return pool.getNumActive();
    }

    int idleConnections() {
        return pool.getNumIdle();
    }

    boolean isClosed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new ClosedException();
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw badUrl(url, "it must start with redis:// or rediss://");
            }
            if (uri.getHost() == null) {
                throw badUrl(url, "it names no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw badUrl(url, "it is not a URL (" + e.getReason() + ")");
        }
    }

    private static int dbIndex(URI uri) {
        try {
            int db = JedisURIHelper.getDBIndex(uri);
            if (db < 0) {
                throw new NumberFormatException();
            }
            return db;
        } catch (RuntimeException e) {
            throw badUrl(uri.toString(), "the path must be a database number such as /0");
        }
    }

    private static StorageConfigException badUrl(String url, String why) {
        return StorageConfigException.of("url", "Invalid value '" + io.prodigy.storage.config.Redaction.redactUrl(url)
                + "' for {key}: " + why + ". Expected redis://[[user]:password@]host[:port][/db].");
    }

    /** A call reached the store after {@code close()}: it cannot be served, and retrying the same instance is futile. */
    static final class ClosedException extends StorageUnavailableException {
        ClosedException() {
            super("Redis storage is closed: it cannot serve calls after close(). Open a new storage.");
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
