package io.prodigy.storage.bench.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measurements JMH has no column for (latency percentiles, bytes a query read, heap peaks, bytes stored per event).
 * When {@code -Dbench.extraFile} is set, each is appended as one JSON line to that file, which {@code bench/run.sh}
 * hands to the report generator next to JMH's own JSON; otherwise it is printed.
 */
public final class ExtraMetrics {

    private ExtraMetrics() {}

    /** Whether values go to a file for the report ({@code -Dbench.extraFile}), rather than to standard output. */
    public static boolean collected() {
        String file = System.getProperty("bench.extraFile");
        return file != null && !file.isBlank();
    }

    /**
     * Records one value.
     *
     * @param benchmark the benchmark family, for example {@code query.timeRange}
     * @param params    the configuration it belongs to (for example {@code impl=file})
     * @param name      what was measured, for example {@code bytes_read}
     * @param value     the value
     * @param unit      its unit, for example {@code bytes}
     */
    public static void record(String benchmark, Map<String, String> params, String name, double value, String unit) {
        ObjectNode line = Json.nodes().objectNode();
        line.put("benchmark", benchmark);
        ObjectNode p = line.putObject("params");
        new TreeMap<>(params).forEach(p::put);
        line.put("name", name);
        line.put("value", value);
        line.put("unit", unit);
        String text = line.toString();
        if (!collected()) {
            System.out.println("# EXTRA " + text);
            return;
        }
        String file = System.getProperty("bench.extraFile");
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        // Forks run one at a time, but a lock keeps a line whole even if someone runs two suites at once.
        try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); FileLock ignored = ch.lock()) {
            var buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append to " + file, e);
        }
    }
}
