package io.prodigy.storage.redis;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Translates Jedis failures into the storage errors, and says whether the failed call may have been applied.
 *
 * <p>Not applied: the connection could not be made or borrowed (refused, unknown host, pool exhausted) and every
 * error reply ({@code OOM}, {@code LOADING}, {@code BUSY}, {@code READONLY}, {@code WRONGTYPE}, …), because Redis
 * runs a script whole or answers with an error before it writes. Outcome unknown: the connection broke or timed out
 * after the command was sent; the script may have run. Messages name the server as {@code host:port/db} and never
 * carry the password.
 */
final class RedisErrors {

    private final String server;
    private final String keyPrefix;

    RedisErrors(String server, String keyPrefix) {
        this.server = server;
        this.keyPrefix = keyPrefix;
    }

    StorageException map(String what, JedisException e) {
        if (e instanceof JedisConnectionException) {
            if (mayHaveBeenApplied(e)) {
                return StorageUnavailableException.outcomeUnknown("Redis at " + server + " lost the connection"
                        + " while " + what + " (" + reason(e) + "): the request may have been applied. Check that"
                        + " the server runs; an idempotent call can be retried.", e);
            }
            return new StorageUnavailableException("Redis at " + server + " could not be reached while " + what
                    + " (" + reason(e) + "); nothing was applied. Check that the server runs and is reachable; the"
                    + " call can be retried.", e);
        }
        if (e instanceof JedisAccessControlException) {
            return new StorageUnavailableException("Redis at " + server + " refused the credentials while " + what
                    + " (" + e.getMessage() + "). Check storage.backend_config.password and the URL's user.", e);
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof JedisDataException) {
            if (message.contains("WRONGTYPE")) {
                return new CorruptionException("Redis at " + server + " holds a key of another type under the key"
                        + " prefix '" + keyPrefix + "' while " + what + ": another application writes keys under"
                        + " {" + keyPrefix + "}. Choose a key_prefix no other program uses.", e);
            }
            if (message.startsWith("OOM")) {
                return new StorageFullException("Redis at " + server + " is out of memory (maxmemory reached) while "
                        + what + "; nothing was written. Delete data or raise maxmemory.", e);
            }
            if (message.startsWith("NOPERM")) {
                return new InvalidInputException("The Redis user may not run a command needed while " + what + " ("
                        + message + "). Grant it +@read +@write +@scripting +@pubsub on the store's keys.", e);
            }
            for (String transientError : TRANSIENT) {
                if (message.startsWith(transientError)) {
                    return new StorageUnavailableException("Redis at " + server + " cannot serve writes right now"
                            + " while " + what + " (" + message + "); nothing was written, the call can be retried.",
                            e);
                }
            }
        }
        return new CorruptionException("Redis at " + server + " answered with an error while " + what + ": "
                + message, e);
    }

    /** Error replies after which the same call may succeed later; the server applied nothing. */
    private static final String[] TRANSIENT = {
        "LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MISCONF", "MOVED",
        "ASK", "NOAUTH"
    };

    /**
     * Whether a failure may have happened after the server ran the command: true only for a broken or timed-out
     * connection that was established; a refused connection, an unresolvable host or an exhausted pool sent nothing.
     */
    static boolean mayHaveBeenApplied(Throwable e) {
        if (!(e instanceof JedisConnectionException)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof NoSuchElementException) {
                return false;
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("Could not get a resource from the pool") || m.contains("Failed to connect")) {
                return false;
            }
        }
        return true;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
