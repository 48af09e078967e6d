package io.prodigy.storage.testservers;

import java.net.URI;
import java.util.Objects;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A Redis server for tests. Each test works under a key prefix of its own and deletes it afterwards
 * ({@link #deletePrefix}).
 *
 * @param url {@code redis://[:password@]host:port[/db]} or {@code rediss://…}; never in {@link #toString} (it may
 *            carry the password)
 */
public record RedisServer(String url) {

    public RedisServer {
        Objects.requireNonNull(url, "url");
    }

    /**
     * A new connection as the backend makes it (RESP2, so Jedis does not warn about protocol negotiation), with the
     * URL's password and database; the caller closes it.
     */
    public Jedis connect() {
        URI uri = URI.create(url);
        return new Jedis(JedisURIHelper.getHostAndPort(uri), DefaultJedisClientConfig.builder()
                .timeoutMillis(5_000).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).ssl(uri.getScheme().equals("rediss")).resp2().build());
    }

    /** Whether the server answers PING now (false when it refuses the connection or the password). */
    public boolean answersPing() {
        try (Jedis j = connect()) {
            return "PONG".equals(j.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Deletes every key of the store whose key prefix is {@code prefix}: the backend puts its keys in one hash slot,
     * {@code {prefix}…}, so this is SCAN and UNLINK of {@code {prefix}*}, a page at a time. Keys of other prefixes
     * are untouched.
     */
    public void deletePrefix(String prefix) {
        try (Jedis j = connect()) {
            ScanParams match = new ScanParams().match("{" + prefix + "}*").count(1_000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                var page = j.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    j.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    /** Where the server is, without the password. */
    @Override
    public String toString() {
        URI uri = URI.create(url);
        return "Redis " + uri.getHost() + ":" + uri.getPort();
    }
}
