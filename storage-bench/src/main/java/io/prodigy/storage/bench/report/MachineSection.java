package io.prodigy.storage.bench.report;

import java.util.Map;

/** Item 6: the disk's fsync rates and sequential write bandwidth, measured in the same run. */
final class MachineSection implements Section {

    private static final String CLASS = "MachineBench";

    @Override
    public String render(JmhRun jmh, ExtraResults extras, Targets targets) {
        if (!jmh.has(CLASS)) {
            return "";
        }
        MarkdownTable t = new MarkdownTable("measurement", "rate", "mean µs", "p50 µs", "p99 µs");
        row(t, jmh, extras, "fsyncAppend", "append 256 B + fdatasync (file grows)", "/s");
        row(t, jmh, extras, "fsyncOverwrite", "overwrite 4 KiB + fdatasync (no size change)", "/s");
        row(t, jmh, extras, "fsyncPreallocated", "append 256 B into a zero-filled file + fdatasync (preallocated)",
                "/s");
        row(t, jmh, extras, "fsyncSparse", "append 256 B into a sparse file (setLength) + fdatasync", "/s");
        row(t, jmh, extras, "renameReplace", "replace 4 KiB by rename (temp + fdatasync + rename + fsync dir)", "/s");
        jmh.find(CLASS + ".sequentialWrite", Map.of()).ifPresent(r -> {
            Estimate bytes = r.secondary().get("bytes");
            String[] l = Section.latencyCells(extras, CLASS + ".sequentialWrite", Map.of());
            t.row("sequential write, 16 MiB in 1 MiB chunks + fsync",
                    bytes == null ? "n/a" : bytes.times(1.0 / (1024 * 1024)).format() + " MiB/s", l[0], l[1], l[2]);
        });
        return "## 6. The machine's disk (same run)\n\n" + t.render() + "\n";
    }

    private static void row(MarkdownTable t, JmhRun jmh, ExtraResults extras, String method, String label,
            String unit) {
        jmh.find(CLASS + "." + method, Map.of()).ifPresent(r -> {
            String[] l = Section.latencyCells(extras, CLASS + "." + method, Map.of());
            t.row(label, r.primary().format() + unit, l[0], l[1], l[2]);
        });
    }
}
