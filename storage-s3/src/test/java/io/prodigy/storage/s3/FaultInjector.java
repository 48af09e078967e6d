package io.prodigy.storage.s3;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Injects faults into S3 requests, per HTTP attempt, at a given rate (seeded, so a failure can be replayed):
 * <ul>
 *   <li>{@code refused}: the attempt fails before it is sent (a refused connection): not applied;</li>
 *   <li>{@code timeout}: the attempt hangs past the attempt timeout before it is sent: not applied;</li>
 *   <li>{@code 500}/{@code 503}: the request reached S3 and was applied, but the response is replaced by a 500 or a
 *       503 SlowDown: the client cannot tell it was applied (outcome unknown);</li>
 * </ul>
 */
final class FaultInjector implements ExecutionInterceptor {

    private final Random random;
    private final double rate;
    private final long hangMillis;
    private volatile boolean enabled = true;
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

    FaultInjector(long seed, double rate, long hangMillis) {
        this.random = new Random(seed);
        this.rate = rate;
        this.hangMillis = hangMillis;
    }

    void enabled(boolean on) {
        this.enabled = on;
    }

    private synchronized double next() {
        return random.nextDouble();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!enabled) {
            return;
        }
        double r = next();
        if (r < rate / 4) {
            count("refused", attributes);
            throw SdkClientException.create("injected fault: connection refused", new IOException("Connection refused"));
        }
        if (r < rate / 2) {
            count("timeout", attributes);
            try {
                Thread.sleep(hangMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw SdkClientException.create("injected fault: no answer", new IOException("Read timed out"));
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!enabled) {
            return context.httpResponse();
        }
        double r = next();
        if (r < rate / 4) {
            count("500-after-applied", attributes);
            return context.httpResponse().toBuilder().statusCode(500).statusText("Internal Server Error").build();
        }
        if (r < rate / 2) {
            count("503-after-applied", attributes);
            return context.httpResponse().toBuilder().statusCode(503).statusText("Slow Down").build();
        }
        return context.httpResponse();
    }

    private void count(String kind, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        injected.computeIfAbsent(kind + " " + op, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> injected() {
        Map<String, Long> out = new TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long total() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
