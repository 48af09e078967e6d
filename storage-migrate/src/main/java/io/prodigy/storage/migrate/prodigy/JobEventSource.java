package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.write.SequencedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * All events of one job, read lazily from its sources in order (orphaned-worktree entries, job directory files by
 * name, the state directory's {@code events.jsonl}, then loose files), numbered 1, 2, 3, … as they
 * will be stored. A line that cannot be imported, or repeats an event id already read for this job (a crash between
 * the two renames of a rotation leaves a copy), is skipped and reported. Holds one open file and the set of event ids
 * of this job.
 */
final class JobEventSource implements Iterator<SequencedEvent>, AutoCloseable {

    /** Where an event came from; {@code line} is 0 for orphaned-worktree entries. */
    record Origin(SourceKind kind, Path file, long line) {}

    /**
     * One file to read.
     *
     * @param owned     whether this job reports the file's unreadable lines (a loose file is reported once, when
     *                  it is first scanned, not by each job that takes lines from it)
     * @param onlyJobId for loose files: take only lines of this job (lines without a job id belong to the file's
     *                  stem); {@code null} takes every line
     * @param orphans   the file is an orphaned-worktree registry, not an event file
     */
    record Source(Path file, boolean owned, String onlyJobId, boolean orphans) {}

    private final JobRef job;
    private final Deque<Source> sources;
    private final ImportCollector collector;
    private final Set<String> seenIds = new HashSet<>();
    private Source current;
    private BufferedReader reader;
    private Iterator<JsonNode> orphanEntries;
    private long lineNumber;
    private long position;
    private SequencedEvent next;

    JobEventSource(JobRef job, List<Source> sources, ImportCollector collector) {
        this.job = job;
        this.sources = new ArrayDeque<>(sources);
        this.collector = collector;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (current == null && !openNext()) {
                return false;
            }
            next = current.orphans() ? nextOrphan() : nextLine();
        }
        return true;
    }

    @Override
    public SequencedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SequencedEvent e = next;
        next = null;
        return e;
    }

    private boolean openNext() {
        Source s = sources.poll();
        if (s == null) {
            return false;
        }
        current = s;
        lineNumber = 0;
        if (s.orphans()) {
            orphanEntries = orphanEntries(s.file());
            return true;
        }
        try {
            reader = SourceFiles.reader(s.file());
        } catch (IOException e) {
            if (s.owned()) {
                collector.list(SourceKind.EVENT, s.file(), 0, "cannot be read: " + e.getMessage());
            }
            current = null;
        }
        return true;
    }

    private SequencedEvent nextLine() {
        String line;
        try {
            line = reader.readLine();
        } catch (IOException e) {
            if (current.owned()) {
                collector.list(SourceKind.EVENT, current.file(), lineNumber + 1, "reading stopped: " + e
                        + " (a truncated or damaged compressed file); the lines before it were read");
            }
            closeCurrent();
            return null;
        }
        if (line == null) {
            closeCurrent();
            return null;
        }
        lineNumber++;
        EventLineMapper.Result r = EventLineMapper.map(line);
        if (r.blank()) {
            return null;
        }
        if (r.skipReason() != null) {
            if (current.owned()) {
                collector.read(SourceKind.EVENT);
                collector.skip(SourceKind.EVENT, current.file(), lineNumber, r.skipReason());
            }
            return null;
        }
        if (current.onlyJobId() != null && !current.onlyJobId().equals(jobOf(r.mapped(), current.file()))) {
            return null;
        }
        if (current.owned()) {
            collector.read(SourceKind.EVENT);
        }
        return accept(r.mapped().event(), new Origin(SourceKind.EVENT, current.file(), lineNumber));
    }

    private SequencedEvent nextOrphan() {
        if (orphanEntries == null || !orphanEntries.hasNext()) {
            current = null;
            return null;
        }
        JsonNode entry = orphanEntries.next();
        lineNumber++;
        collector.read(SourceKind.ORPHANED_WORKTREE);
        OrphanedWorktrees.Result r = OrphanedWorktrees.map(job, entry);
        if (r.skipReason() != null) {
            collector.skip(SourceKind.ORPHANED_WORKTREE, current.file(), 0, "entry " + lineNumber + ": "
                    + r.skipReason());
            return null;
        }
        return accept(r.event(), new Origin(SourceKind.ORPHANED_WORKTREE, current.file(), 0));
    }

    private SequencedEvent accept(io.prodigy.storage.event.NewEvent event, Origin origin) {
        if (!seenIds.add(event.id())) {
            collector.skip(origin.kind(), origin.file(), origin.line(), "duplicate event id " + event.id()
                    + ", already read for job " + job + " (a copy left by an interrupted rotation?)");
            return null;
        }
        return new SequencedEvent(++position, event, origin);
    }

    private Iterator<JsonNode> orphanEntries(Path file) {
        try {
            JsonNode doc = SourceFiles.readJson(file);
            if (doc.isArray()) {
                return doc.iterator();
            }
            collector.read(SourceKind.ORPHANED_WORKTREE);
            collector.skip(SourceKind.ORPHANED_WORKTREE, file, 0, "not a JSON array of orphaned worktrees");
        } catch (IOException | SourceFiles.InvalidFile e) {
            collector.read(SourceKind.ORPHANED_WORKTREE);
            collector.skip(SourceKind.ORPHANED_WORKTREE, file, 0, e.getMessage());
        }
        return null;
    }

    /** The job a loose-file line belongs to: its {@code job_id}, or the file's stem for events without one. */
    static String jobOf(EventLineMapper.Mapped mapped, Path file) {
        return mapped.jobId() != null ? mapped.jobId() : looseFileJob(file);
    }

    static String looseFileJob(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private void closeCurrent() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Closing " + current.file() + " failed", e);
            } finally {
                reader = null;
            }
        }
        current = null;
    }

    @Override
    public void close() {
        closeCurrent();
        sources.clear();
    }
}
