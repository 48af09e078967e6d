package io.prodigy.storage.cli.demo;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.OpenedStorage;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The demo's output: phase lines as the jobs run, then a summary and the commands to try next (or one JSON document). */
final class DemoPrinter {

    private final Output out;
    private final DemoOptions options;
    private final String repository;
    private final String prefix;

    DemoPrinter(CliContext ctx, DemoOptions options, String repository, String prefix) {
        this.out = ctx.out();
        this.options = options;
        this.repository = repository;
        this.prefix = prefix;
    }

    void header(OpenedStorage opened) {
        if (out.json()) {
            return;
        }
        out.line("prodigy-storage demo: %d MapReduce job%s x %d items, %d agents, fail rate %.2f, seed %d",
                options.jobs(), options.jobs() == 1 ? "" : "s", options.items(), options.agents(), options.failRate(),
                options.seed());
        out.line("storage: %s backend at %s, repository '%s'", opened.backend(), opened.location(), repository);
    }

    void jobHeader(int index, int total, JobRef job) {
        if (!out.json()) {
            out.blank();
            out.line("Job %d/%d  %s", index, total, job.jobId());
            out.flush();
        }
    }

    void phase(String name, String text) {
        if (!out.json()) {
            out.line("  %-7s %s", name, text);
            out.flush();
        }
    }

    void summary(OpenedStorage opened, List<JobReport> reports, long millis, int earlierJobs, List<JobRef> allJobs) {
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> checkpoints = new TreeMap<>();
        long events = 0;
        long dlq = 0;
        for (JobReport r : reports) {
            r.eventsByType().forEach((t, n) -> byType.merge(t, n, Long::sum));
            r.checkpoints().forEach((k, n) -> checkpoints.merge(k, n, Long::sum));
            events += r.events();
            dlq += r.dlqDepth();
        }
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("backend", opened.backend());
            doc.put("location", opened.location());
            doc.put("repository", repository);
            doc.put("options", options);
            doc.put("jobs", reports);
            doc.put("events", events);
            doc.put("events_by_type", byType);
            doc.put("dlq_depth", dlq);
            doc.put("checkpoints", checkpoints);
            doc.put("duration_ms", millis);
            doc.put("earlier_demo_jobs", earlierJobs);
            doc.put("demo_jobs_in_repository", allJobs.stream().map(JobRef::jobId).toList());
            doc.put("sessions_created", reports.stream().map(JobReport::sessionId).toList());
            doc.put("workflow", DemoWorkflow.ID);
            doc.put("data_kept", opened.keepsData());
            doc.put("clean_command", opened.keepsData() ? prefix + " demo --clean" : null);
            out.printJson(doc);
            return;
        }
        out.blank();
        out.line("Summary");
        out.line("  time         %s for %d job%s", Formats.duration(Duration.ofMillis(millis)), reports.size(),
                reports.size() == 1 ? "" : "s");
        out.line("  events       %s stored", Formats.count(events));
        Table t = Table.of("    TYPE", "COUNT").alignRight(1);
        byType.forEach((type, n) -> t.row("    " + type, Formats.count(n)));
        t.print(out.out());
        out.line("  DLQ          %d item%s left after reprocessing", dlq, dlq == 1 ? "" : "s");
        out.line("  checkpoints  %s", checkpoints.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("none"));
        out.line("  data         %s (%s backend)", opened.location(), opened.backend());
        out.line("  jobs         %d demo job%s in repository '%s'%s", allJobs.size(), allJobs.size() == 1 ? "" : "s",
                repository, earlierJobs > 0 ? " (" + earlierJobs + " from earlier runs, still there)" : "");
        out.line("  created      %s (%s), workflow %s with %s, and per job its events, DLQ items and checkpoints",
                Formats.plural(reports.size(), "session", "sessions"),
                String.join(", ", reports.stream().map(JobReport::sessionId).toList()), DemoWorkflow.ID,
                Formats.plural(reports.size(), "execution", "executions"));
        if (!opened.keepsData()) {
            // Nothing survives this process: commands that would look at the data afterwards would find none.
            out.blank();
            out.line("The %s backend keeps nothing after this command exits, so there is nothing to inspect"
                    + " afterwards. Run the demo without --backend %s to keep the data and explore it.",
                    opened.backend(), opened.backend());
            return;
        }
        out.line("  remove with  %s demo --clean", prefix);
        String job = reports.get(0).jobId();
        out.blank();
        out.line("Next, try:");
        List<String> next = new java.util.ArrayList<>(List.of(
                prefix + " jobs list",
                prefix + " events stats --job " + job,
                prefix + " events list --job " + job + " --type agent_failed",
                prefix + " dlq list --job " + job));
        if (!reports.get(0).dlqItems().isEmpty()) {
            next.add(prefix + " dlq show --job " + job + " " + reports.get(0).dlqItems().get(0));
        }
        next.addAll(List.of(
                prefix + " checkpoints list --job " + job,
                prefix + " events tail --job " + job + " --follow",
                "    and in another terminal: echo '{\"event_type\":\"note\",\"data\":{\"text\":\"hello\"}}' | "
                        + prefix + " events append --job " + job,
                prefix + " info"));
        next.forEach(c -> out.line("  " + c));
    }
}
