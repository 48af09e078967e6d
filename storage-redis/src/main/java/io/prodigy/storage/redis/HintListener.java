package io.prodigy.storage.redis;

import io.prodigy.storage.support.ChangeNotifier;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Wake-up hints for subscribers: a daemon thread holds one connection subscribed to the store's append channel and
 * signals the {@link ChangeNotifier} on every message (and after each (re)subscription, to catch up on what was
 * missed while disconnected). Hints only: subscriptions poll as well, so a lost message delays and never loses.
 * Started by the first subscription, stopped with the store.
 */
final class HintListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HintListener.class);

    private final RedisClient client;
    private final String channel;
    private final ChangeNotifier notifier;
    private final Object monitor = new Object();
    private Thread thread;
    private Jedis connection;
    private volatile boolean running;

    HintListener(RedisClient client, String channel, ChangeNotifier notifier) {
        this.client = client;
        this.channel = channel;
        this.notifier = notifier;
    }

    void ensureStarted() {
        synchronized (monitor) {
            if (thread != null || client.isClosed()) {
                return;
            }
            running = true;
            thread = new Thread(this::run, "prodigy-redis-hints");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        long backoff = 50;
        while (running) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onMessage(String ch, String message) {
                    notifier.signal();
                }

                @Override
                public void onSubscribe(String ch, int count) {
                    notifier.signal();
                }
            };
            try {
                Jedis jedis = client.dedicatedConnection();
                synchronized (monitor) {
                    if (!running) {
                        jedis.close();
                        return;
                    }
                    connection = jedis;
                }
                backoff = 50;
                jedis.subscribe(pubSub, channel);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.debug("Redis hint subscription on {} lost ({}); subscribers keep polling, reconnecting",
                            client.server(), e.toString());
                }
            } finally {
                synchronized (monitor) {
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
            }
            sleep(Duration.ofMillis(backoff));
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (monitor) {
            running = false;
            t = thread;
            if (connection != null) {
                // Closing the socket ends the blocking subscribe.
                connection.close();
                connection = null;
            }
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
