package io.prodigy.storage.s3;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests the client sends, per S3 operation ({@code PutObject}, {@code ListObjectsV2}, …), retries
 * included: the figures health reports and the benchmark divides by the number of calls.
 */
final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(operation == null ? "unknown" : operation, k -> new LongAdder()).increment();
    }

    /** Requests sent so far, by operation, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
