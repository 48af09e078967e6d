package io.prodigy.storage.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/jobs/{repo}/{job}/stream?after=N}: a job's new events as Server-Sent Events, pushed as the storage's
 * subscription delivers them (the file backend wakes on a change notification, within a second of an append by any
 * process). Each message is one event as JSON with {@code id:} its sequence, so a browser that reconnects resumes
 * after the last event it saw ({@code Last-Event-ID}). A comment line every {@link #HEARTBEAT_SECONDS} seconds finds
 * clients that went away. At most {@link #MAX_STREAMS} streams are open at once; more get 503.
 */
final class LiveTail implements AutoCloseable {

    static final int MAX_STREAMS = 16;
    static final int HEARTBEAT_SECONDS = 15;

    private final UnifiedStorage storage;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    LiveTail(UnifiedStorage storage) {
        this.storage = storage;
    }

    /** Streams {@code job}'s events after {@code ?after=} (or {@code Last-Event-ID}) until the client leaves. */
    void serve(Exchange x, JobRef job) {
        long after = startAfter(x, job);
        if (!slots.tryAcquire()) {
            throw new HttpError(503, "Too many live tails are open (" + MAX_STREAMS + "). Close one and retry.");
        }
        try (Stream s = new Stream(x)) {
            open.add(s);
            s.write("retry: 1000\n: following " + job + " after sequence " + after + "\n\n");
            try (EventSubscription sub = storage.events().subscribe(EventFilter.forJob(job), after, s::send)) {
                while (sub.isActive() && !s.ended()) {
                    if (!s.awaitEnd(HEARTBEAT_SECONDS)) {
                        s.write(": keep-alive\n\n");
                    }
                }
            }
        } finally {
            slots.release();
        }
    }

    private long startAfter(Exchange x, JobRef job) {
        String v = x.header("Last-Event-ID");
        if (v == null || v.isBlank()) {
            v = x.query().get("after");
        }
        if (v == null || v.isBlank()) {
            return storage.events().lastSequence(job);
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("after must be a sequence number, was '" + v + "'.");
        }
    }

    /** Ends every open stream (the server is stopping). */
    @Override
    public void close() {
        open.forEach(Stream::end);
    }

    /** One open SSE response. Writes come from the subscription's thread and the heartbeat: serialized here. */
    private final class Stream implements AutoCloseable {
        private final Exchange x;
        private final OutputStream out;
        private final CountDownLatch ended = new CountDownLatch(1);

        Stream(Exchange x) {
            this.x = x;
            try {
                this.out = x.startStream("text/event-stream; charset=utf-8");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void send(EventRecord e) {
            try {
                write("id: " + e.sequence() + "\ndata: " + Json.mapper().writeValueAsString(e) + "\n\n");
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        /** Writes and flushes; a failed write (the client left) ends the stream and rethrows, stopping delivery. */
        synchronized void write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                end();
                throw new UncheckedIOException(e);
            }
        }

        boolean ended() {
            return ended.getCount() == 0;
        }

        boolean awaitEnd(long seconds) {
            try {
                return ended.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end();
                return true;
            }
        }

        void end() {
            ended.countDown();
        }

        @Override
        public void close() {
            open.remove(this);
            end();
            try {
                out.close();
            } catch (IOException ignored) {
                // the client is gone already
            }
            x.close();
        }
    }
}
