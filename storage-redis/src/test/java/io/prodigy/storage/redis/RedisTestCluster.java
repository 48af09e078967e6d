package io.prodigy.storage.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster of three masters (no replicas) started by a test: three {@code redis-server --cluster-enabled
 * yes} on free loopback ports, each in its own directory, joined with {@code redis-cli --cluster create
 * --cluster-yes}. {@link #moveSlotOf} migrates one store's slot to another master as a resharding does
 * ({@code CLUSTER SETSLOT … IMPORTING/MIGRATING}, {@code MIGRATE} of its keys, {@code CLUSTER SETSLOT … NODE}).
 * Under {@code CI=true} a missing {@code redis-server} or {@code redis-cli} fails the test; otherwise it is skipped.
 */
public final class RedisTestCluster implements AutoCloseable {

    private final Path dir;
    private final List<RedisProcess> nodes = new ArrayList<>();

    public RedisTestCluster() {
        try {
            dir = Files.createTempDirectory("prodigy-redis-cluster-");
            for (int i = 0; i < 3; i++) {
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
                nodes.add(RedisProcess.start(nodeDir, "--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf", "--cluster-node-timeout", "5000", "--appendonly", "no"));
            }
            List<String> cmd = new ArrayList<>(List.of(RedisProcess.tool("redis-cli"), "--cluster", "create"));
            nodes.forEach(n -> cmd.add("127.0.0.1:" + n.port()));
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process create = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("create.log").toFile()).start();
            if (create.waitFor() != 0) {
                throw new IOException("redis-cli --cluster create failed: " + Files.readString(dir.resolve(
                        "create.log")));
            }
            awaitReady();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        }
    }

    /** The URL of a master that does not serve {@code keyPrefix}'s slot: the store must find the one that does. */
    public String urlAvoiding(String keyPrefix) {
        int owner = ownerOf(keyPrefix);
        return nodes.stream().filter(n -> n.port() != owner).findFirst().orElseThrow().url();
    }

    /** The port of the master that serves {@code keyPrefix}'s slot. */
    public int ownerOf(String keyPrefix) {
        int slot = slotOf(keyPrefix);
        try (Jedis j = new Jedis(URI.create(nodes.get(0).url()))) {
            for (Object range : j.clusterSlots()) {
                List<?> r = (List<?>) range;
                if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                    return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                }
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** Moves {@code keyPrefix}'s slot, keys and all, to another master, and tells every node. */
    public void moveSlotOf(String keyPrefix) {
        int slot = slotOf(keyPrefix);
        RedisProcess from = node(ownerOf(keyPrefix));
        RedisProcess to = nodes.stream().filter(n -> n != from).findFirst().orElseThrow();
        try (Jedis source = new Jedis(URI.create(from.url()));
                Jedis target = new Jedis(URI.create(to.url()))) {
            String sourceId = source.clusterMyId();
            String targetId = target.clusterMyId();
            target.clusterSetSlotImporting(slot, sourceId);
            source.clusterSetSlotMigrating(slot, targetId);
            while (true) {
                List<String> keys = source.clusterGetKeysInSlot(slot, 100);
                if (keys.isEmpty()) {
                    break;
                }
                source.migrate("127.0.0.1", to.port(), 0, 5_000, new MigrateParams(),
                        keys.toArray(String[]::new));
            }
            for (RedisProcess n : nodes) {
                try (Jedis j = new Jedis(URI.create(n.url()))) {
                    j.clusterSetSlotNode(slot, targetId);
                }
            }
        }
    }

    private RedisProcess node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    private static int slotOf(String keyPrefix) {
        return JedisClusterCRC16.getSlot("{" + keyPrefix + "}");
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (RedisProcess n : nodes) {
            try (Jedis j = new Jedis(URI.create(n.url()))) {
                while (!j.clusterInfo().contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the test's Redis Cluster did not become ready: "
                                + j.clusterInfo());
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
