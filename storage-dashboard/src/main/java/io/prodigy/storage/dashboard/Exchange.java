package io.prodigy.storage.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.HttpExchange;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request and its answer: decoded path segments and query parameters, and typed responses. */
final class Exchange {

    private static final ObjectWriter JSON = Json.mapper().writerWithDefaultPrettyPrinter();

    private final HttpExchange http;
    private final List<String> segments;
    private final Map<String, String> query;
    private final long startNanos = System.nanoTime();
    private long bytesSent;

    Exchange(HttpExchange http) {
        this.http = http;
        this.segments = segments(http.getRequestURI().getRawPath());
        this.query = query(http.getRequestURI().getRawQuery());
    }

    String method() {
        return http.getRequestMethod();
    }

    /** The decoded path segments: {@code /api/jobs/a%2Fb} gives {@code [api, jobs, a/b]}. */
    List<String> segments() {
        return segments;
    }

    /** The decoded query parameters (the first value of each). */
    Map<String, String> query() {
        return query;
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    List<String> headers(String name) {
        List<String> v = http.getRequestHeaders().get(name);
        return v == null ? List.of() : v;
    }

    void setHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    long bytesSent() {
        return bytesSent;
    }

    void json(int status, Object value) {
        try {
            send(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write JSON", e);
        }
    }

    void html(int status, String page) {
        send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) {
        setHeader("Content-Type", contentType);
        setHeader("Cache-Control", "no-store");
        // The time spent answering, for the browser's network panel and for bench/dashboard.sh.
        setHeader("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f",
                (System.nanoTime() - startNanos) / 1e6));
        setHeader("X-Content-Type-Options", "nosniff");
        setHeader("Referrer-Policy", "no-referrer");
        // Everything is served from here: no script, style or image from anywhere else.
        setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        try {
            boolean head = "HEAD".equals(method());
            http.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = http.getResponseBody()) {
                    out.write(body);
                }
                bytesSent = body.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        } finally {
            http.close();
        }
    }

    /** Starts a streamed answer of unknown length; the caller writes to and closes {@link #body()}. */
    OutputStream startStream(String contentType) throws IOException {
        setHeader("Content-Type", contentType);
        setHeader("Cache-Control", "no-store");
        setHeader("X-Accel-Buffering", "no");
        http.sendResponseHeaders(200, 0);
        return http.getResponseBody();
    }

    void close() {
        http.close();
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : (rawPath == null ? "" : rawPath).split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            String k = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String v = kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            out.putIfAbsent(k, v);
        }
        return Collections.unmodifiableMap(out);
    }
}
