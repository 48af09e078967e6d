package io.prodigy.storage.bench.dashboard;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.query.QueryDataset;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dashboard.Dashboard;
import io.prodigy.storage.dashboard.DashboardOptions;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's measurement: what the dashboard costs to serve a job of a million events on the file backend. It opens
 * the query benchmarks' data set ({@link QueryDataset}: one job of {@code events} events), starts the dashboard on
 * it, and requests each page and API endpoint of that job, first once cold (right after opening the store), then
 * {@code warmup} times unmeasured and {@code requests} times measured. Per URL it reports the server time (the
 * dashboard's own {@code Server-Timing} header: from the request's arrival to the answer's first byte), the time the
 * client waited for the whole answer, and the bytes sent. Run it with {@code bench/dashboard.sh}.
 *
 * <p>Not a JMH benchmark on purpose: the quantity is a latency distribution of whole HTTP requests served by a
 * running server, which the server itself measures; a loop of real requests reports it directly.
 */
public final class DashboardPageLoad {

    private static final Pattern SERVER_TIMING = Pattern.compile("dur=([0-9.]+)");

    private DashboardPageLoad() {}

    /** {@code DashboardPageLoad [events] [requests] [warmup]}. */
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        QueryDataset ds = QueryDataset.ensure(events);
        JobRef job = QueryDataset.JOB;
        String jobPath = job.repository() + "/" + job.jobId();
        List<String> paths = List.of(
                "/jobs/" + jobPath,
                "/api/jobs/" + jobPath,
                "/api/jobs/" + jobPath + "/events?limit=50",
                "/api/jobs/" + jobPath + "/events?after=500000&limit=50",
                "/api/jobs/" + jobPath + "/timeline",
                "/api/jobs/" + jobPath + "/chart.svg",
                "/api/overview",
                "/");
        StorageConfig config = StorageConfig.forBackend("file")
                .withBackendOption("base_dir", ds.fileBaseDir().toString());
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf(Locale.ROOT, "dashboard page load: job %s with %,d events (file backend, %s), %d measured"
                + " requests per URL after %d warm-up requests; load average %s%n%n", job, events,
                ds.fileBaseDir(), requests, warmup, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| URL | cold server ms | server ms median | p90 | max | client ms median | bytes sent |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        try (UnifiedStorage storage = new FileStorageProvider().open(config, StorageContext.system());
                Dashboard dashboard = Dashboard.start(storage, DashboardOptions.loopback(0))) {
            for (String path : paths) {
                URI uri = dashboard.uri().resolve(path);
                Sample cold = get(http, uri);
                for (int i = 0; i < warmup; i++) {
                    get(http, uri);
                }
                List<Sample> samples = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    samples.add(get(http, uri));
                }
                double[] server = samples.stream().mapToDouble(Sample::serverMillis).sorted().toArray();
                double[] client = samples.stream().mapToDouble(Sample::clientMillis).sorted().toArray();
                System.out.printf(Locale.ROOT, "| `%s` | %.1f | %.1f | %.1f | %.1f | %.1f | %,d |%n",
                        path.replace(jobPath, "{job}"), cold.serverMillis(), percentile(server, 50),
                        percentile(server, 90), server[server.length - 1], percentile(client, 50),
                        samples.get(samples.size() - 1).bytes());
            }
        }
        System.out.printf(Locale.ROOT, "%nload average at end %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private record Sample(double serverMillis, double clientMillis, long bytes) {}

    private static Sample get(HttpClient http, URI uri) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        double client = (System.nanoTime() - start) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        Matcher m = SERVER_TIMING.matcher(r.headers().firstValue("Server-Timing").orElse(""));
        if (!m.find()) {
            throw new IllegalStateException(uri + " sent no Server-Timing header");
        }
        return new Sample(Double.parseDouble(m.group(1)), client, r.body().length);
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
