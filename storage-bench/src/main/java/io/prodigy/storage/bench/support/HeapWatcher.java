package io.prodigy.storage.bench.support;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the heap while a piece of code runs: the peak occupancy of every heap pool (garbage included) and the
 * largest heap still in use right after a garbage collection (the live set, which is what "fits in 64 MB" is about).
 */
public final class HeapWatcher implements AutoCloseable {

    private final Set<String> heapPools = ConcurrentHashMap.newKeySet();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            // The map also holds non-heap pools (metaspace, code cache): count only the heap ones.
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(used, Math::max);
            collections.incrementAndGet();
        }
    };

    private HeapWatcher() {}

    /** Resets the pools' peak counters and starts listening to collections. */
    public static HeapWatcher start() {
        HeapWatcher w = new HeapWatcher();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
            if (pool.getType() == MemoryType.HEAP) {
                w.heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(w.listener, null, null);
                w.emitters.add(emitter);
            }
        }
        return w;
    }

    /** Sum over heap pools of their peak use since {@link #start()}, garbage included. */
    public long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The largest heap occupancy observed right after a collection since {@link #start()} (0 if none ran). */
    public long maxLiveAfterGc() {
        return maxAfterGc.get();
    }

    public long collections() {
        return collections.get();
    }

    /** The configured maximum heap ({@code -Xmx}). */
    public static long maxHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already removed: nothing to undo
            }
        }
        emitters.clear();
    }
}
