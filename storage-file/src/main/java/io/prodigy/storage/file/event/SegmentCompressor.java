package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileModes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gzips a sealed segment ({@code enable_compression}). The compressed copy is written and forced outside the job's
 * lock (appends continue meanwhile); only the swap takes the guard: check the plain segment is unchanged, rename the
 * {@code .gz} into place, delete the plain one, rewrite the index with the new size. A crash leaves either the plain
 * segment, or both complete copies (the plain one is then removed by the next writer).
 */
final class SegmentCompressor {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCompressor.class);

    private SegmentCompressor() {}

    static void compress(JobLog log, SegmentFile sealed) {
        Path gz = sealed.gzipPath();
        Path tmp = AtomicFiles.tempFileFor(gz);
        try {
            BasicFileAttributes before;
            try {
                before = Files.readAttributes(sealed.path(), BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return; // purged or deleted meanwhile
            }
            gzip(sealed.path(), tmp);
            log.guardedOnly(() -> {
                BasicFileAttributes now;
                try {
                    now = Files.readAttributes(sealed.path(), BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    Files.deleteIfExists(tmp);
                    return null;
                }
                SegmentIndexes.Key key = SegmentIndexes.keyOf(now, sealed);
                if (!key.equals(SegmentIndexes.keyOf(before, sealed)) || now.size() != before.size()) {
                    Files.deleteIfExists(tmp); // rewritten by a purge meanwhile; leave it plain
                    return null;
                }
                SegmentIndex idx = log.ctx.indexes.indexOf(sealed);
                AtomicFiles.moveAtomically(tmp, gz);
                AtomicFiles.fsyncDirectory(gz.getParent());
                Files.delete(sealed.path());
                AtomicFiles.fsyncDirectory(gz.getParent());
                log.ctx.indexes.forget(key);
                SegmentFile gzSeg = sealed.withPath(gz, sealed.lastSequence(), true);
                SegmentIndexes.writeIndexFile(gzSeg, idx.withSegmentBytes(Files.size(gz)));
                return null;
            });
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            LOG.warn("Could not compress event segment '{}'; it stays uncompressed and readable: {}", sealed.path(),
                    e.toString());
        }
    }

    /** Writes a gzip copy of {@code from} to {@code to} (new file) and forces it. */
    static void gzip(Path from, Path to) throws IOException {
        try (FileChannel out = FileChannel.open(to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FileModes.fileAttributes())) {
            try (InputStream in = Files.newInputStream(from);
                    OutputStream gzOut = new GZIPOutputStream(Channels.newOutputStream(out), 64 * 1024) {
                        @Override
                        public void close() throws IOException {
                            finish(); // keep the channel open for the force below
                            flush();
                            def.end();
                        }
                    }) {
                in.transferTo(gzOut);
            }
            out.force(true);
        }
    }
}
