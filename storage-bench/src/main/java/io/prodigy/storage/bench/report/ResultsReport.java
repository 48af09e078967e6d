package io.prodigy.storage.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a benchmark run into the Markdown of docs/perf.md: one table per benchmark with ratios to each baseline, and
 * every target of issue 7 checked against its measured value.
 *
 * <pre>
 * java -cp benchmarks.jar io.prodigy.storage.bench.report.ResultsReport \
 *     --jmh jmh.json [--jmh more.json] [--extras extras.jsonl] [--machine machine.md] [--command "..."] --out results.md
 * </pre>
 */
public final class ResultsReport {

    private static final List<Section> SECTIONS = List.of(new AppendSection(), new QuerySection(),
            new RecordSection(), new LockSection(), new LayerSection(), new MachineSection());

    private ResultsReport() {}

    public static void main(String[] args) throws IOException {
        List<Path> jmh = new ArrayList<>();
        List<Path> extras = new ArrayList<>();
        Path machine = null;
        Path out = null;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--jmh" -> jmh.add(Path.of(require(args[i], value)));
                case "--extras" -> extras.add(Path.of(require(args[i], value)));
                case "--machine" -> machine = Path.of(require(args[i], value));
                case "--command" -> command = require(args[i], value);
                case "--out" -> out = Path.of(require(args[i], value));
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + ". Use --jmh FILE, --extras FILE, --machine FILE, --command TEXT, --out FILE.");
            }
            i++;
        }
        if (jmh.isEmpty()) {
            throw new IllegalArgumentException("Give at least one --jmh result file.");
        }
        String md = render(JmhRun.read(jmh), ExtraResults.read(extras),
                machine != null && Files.isRegularFile(machine) ? Files.readString(machine) : null, command);
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(out, md);
        }
    }

    /** The whole report. */
    public static String render(JmhRun jmh, ExtraResults extras, String machine, String command) {
        StringBuilder sb = new StringBuilder("# Benchmark results\n\n");
        if (machine != null) {
            sb.append(machine.strip()).append("\n\n");
        }
        jmh.results().stream().findFirst().ifPresent(r -> sb.append("JVM: `").append(r.jvm()).append("`\n\n"));
        if (command != null) {
            sb.append("Command: `").append(command).append("`\n\n");
        }
        Targets targets = new Targets();
        for (Section s : SECTIONS) {
            sb.append(s.render(jmh, extras, targets));
        }
        sb.append("## Targets\n\n").append(targets.render());
        return sb.toString();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
