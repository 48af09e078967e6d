package io.prodigy.storage.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every API endpoint and page over HTTP, against a file store with known contents (see {@link Fixture}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

    private UnifiedStorage storage;
    private Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) {
        storage = Fixture.open(dir);
        Fixture.fill(storage);
        dashboard = Dashboard.start(storage, DashboardOptions.loopback(0));
    }

    @AfterAll
    void stop() {
        dashboard.close();
        storage.close();
    }

    @Test
    void overviewShowsHealthRepositoriesAndJobsWithStatusAndProgress() throws Exception {
        JsonNode o = json("/api/overview");
        assertThat(o.get("backend").asText()).isEqualTo("file");
        assertThat(o.at("/health/status").asText()).isEqualTo("HEALTHY");
        assertThat(o.at("/health/probe_latency").asText()).startsWith("PT");
        assertThat(o.get("repositories").toString())
                .isEqualTo("[{\"repository\":\"other\",\"job_count\":1},{\"repository\":\"proj\",\"job_count\":1}]");
        JsonNode jobs = o.at("/jobs/items");
        assertThat(jobs).hasSize(2);
        JsonNode j = jobs.get(1);
        assertThat(j.get("repository").asText()).isEqualTo("proj");
        assertThat(j.get("job_id").asText()).isEqualTo("job-1");
        assertThat(j.get("status").asText()).isEqualTo("running");
        assertThat(j.at("/progress/completed_items").asLong()).isEqualTo(3);
        assertThat(j.at("/progress/total_items").asLong()).isEqualTo(4);
        assertThat(j.at("/progress/percent").asInt()).isEqualTo(75);
        assertThat(j.get("event_count").asLong()).isEqualTo(10);
        assertThat(j.get("error_count").asLong()).isEqualTo(1);
        assertThat(j.get("dlq_depth").asLong()).isEqualTo(1);
        assertThat(j.get("checkpoint_count").asLong()).isEqualTo(2);
        assertThat(j.get("last_activity").asText()).isNotEmpty();
        assertThat(jobs.get(0).get("status").asText()).isEqualTo("unknown");
        assertThat(json("/api/health").get("backend_type").asText()).isEqualTo("file");
        assertThat(json("/api/repositories")).hasSize(2);
    }

    @Test
    void jobsPageWithACursorAndFilterByRepository() throws Exception {
        JsonNode first = json("/api/jobs?limit=1");
        assertThat(first.get("items")).hasSize(1);
        assertThat(first.get("limit").asInt()).isEqualTo(1);
        assertThat(first.get("next_after").asText()).isEqualTo("other/job-2");
        JsonNode second = json("/api/jobs?limit=1&after=other/job-2");
        assertThat(second.at("/items/0/job_id").asText()).isEqualTo("job-1");
        assertThat(second.has("next_after")).isFalse();
        assertThat(json("/api/jobs?repo=proj").get("items")).hasSize(1);
    }

    @Test
    void jobDetailHasTotalsFromAggregate() throws Exception {
        JsonNode d = json("/api/jobs/proj/job-1");
        assertThat(d.at("/summary/job_id").asText()).isEqualTo("job-1");
        assertThat(d.at("/events/total_events").asLong()).isEqualTo(10);
        assertThat(d.at("/events/counts_by_type/agent_started").asLong()).isEqualTo(4);
        assertThat(d.at("/events/last_sequence").asLong()).isEqualTo(10);
        assertThat(d.at("/dlq/total_items").asLong()).isEqualTo(1);
        assertThat(d.at("/dlq/claimed_items").asLong()).isEqualTo(1);
    }

    @Test
    void eventsPageBySequence() throws Exception {
        JsonNode p1 = json("/api/jobs/proj/job-1/events?after=0&limit=4");
        assertThat(sequences(p1)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(p1.get("next_after").asText()).isEqualTo("4");
        assertThat(p1.at("/items/0/event_type").asText()).isEqualTo("job_started");
        assertThat(p1.at("/items/0/job/repository").asText()).isEqualTo("proj");
        assertThat(p1.at("/items/1/agent_id").asText()).isEqualTo("agent-2");
        JsonNode p3 = json("/api/jobs/proj/job-1/events?after=8&limit=4");
        assertThat(sequences(p3)).containsExactly(9L, 10L);
        assertThat(p3.has("next_after")).isFalse();
        // Without a cursor the page ends at the newest event.
        assertThat(sequences(json("/api/jobs/proj/job-1/events?limit=3"))).containsExactly(8L, 9L, 10L);
        JsonNode failed = json("/api/jobs/proj/job-1/events?type=agent_failed");
        assertThat(failed.get("items")).hasSize(1);
        assertThat(failed.at("/items/0/data/item_id").asText()).isEqualTo("item-3");
        assertThat(json("/api/jobs/proj/job-1/events?agent=agent-1&after=0").get("items")).hasSize(4);
    }

    @Test
    void timelineCountsAddUpToTheJobsCountsAndTheChartDrawsThem() throws Exception {
        JsonNode t = json("/api/jobs/proj/job-1/timeline");
        assertThat(t.get("window_events").asLong()).isEqualTo(10);
        assertThat(t.get("total_events").asLong()).isEqualTo(10);
        assertThat(t.get("first_sequence").asLong()).isEqualTo(1);
        assertThat(t.get("last_sequence").asLong()).isEqualTo(10);
        long agentStarted = 0;
        long all = 0;
        for (JsonNode b : t.get("buckets")) {
            agentStarted += b.at("/counts/agent_started").asLong();
            for (JsonNode c : b.get("counts")) {
                all += c.asLong();
            }
        }
        assertThat(agentStarted).isEqualTo(4);
        assertThat(all).isEqualTo(10);

        HttpResponse<String> svg = get("/api/jobs/proj/job-1/chart.svg");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "image/svg+xml"));
        assertThat(sumOfBars(svg.body(), "agent_started")).isEqualTo(4);
        assertThat(sumOfBars(svg.body(), null)).isEqualTo(10);
    }

    @Test
    void agentsWithTheirOutcomes() throws Exception {
        JsonNode a = json("/api/jobs/proj/job-1/agents");
        assertThat(a).hasSize(2);
        JsonNode agent2 = a.get(1);
        assertThat(agent2.get("agent_id").asText()).isEqualTo("agent-2");
        assertThat(agent2.get("events").asLong()).isEqualTo(4);
        assertThat(agent2.get("success_count").asLong()).isEqualTo(1);
        assertThat(agent2.get("error_count").asLong()).isEqualTo(1);
        assertThat(agent2.get("pending_count").asLong()).isEqualTo(2);
        assertThat(agent2.get("last_event_type").asText()).isEqualTo("agent_failed");
    }

    @Test
    void checkpointsAndDlqPage() throws Exception {
        JsonNode c = json("/api/jobs/proj/job-1/checkpoints?limit=1");
        assertThat(c.at("/items/0/id").asText()).as("oldest first").isEqualTo("setup");
        assertThat(c.at("/items/0/kind").asText()).isEqualTo("SETUP");
        assertThat(c.at("/items/0/size_bytes").asLong()).isPositive();
        assertThat(c.at("/items/0/revision").asLong()).isEqualTo(1);
        JsonNode next = json("/api/jobs/proj/job-1/checkpoints?after=" + c.get("next_after").asText());
        assertThat(next.at("/items/0/id").asText()).isEqualTo("map-1");
        assertThat(next.at("/items/0/kind").asText()).isEqualTo("MAP");
        assertThat(next.has("next_after")).as("the last page").isFalse();
        assertThat(get("/api/jobs/proj/job-1/checkpoints?after=map-1").statusCode())
                .as("a cursor the store did not make").isEqualTo(400);

        JsonNode d = json("/api/jobs/proj/job-1/dlq");
        JsonNode item = d.at("/items/0");
        assertThat(item.get("item_id").asText()).isEqualTo("item-3");
        assertThat(item.get("failure_history")).hasSize(2);
        assertThat(item.at("/failure_history/1/error").asText()).isEqualTo("merge conflict again");
        assertThat(item.at("/claim/worker").asText()).isEqualTo("reprocessor-1");
        assertThat(item.at("/work_item/file").asText()).isEqualTo("c.txt");
    }

    @Test
    void sessionsWorkflowsAndLocksWithFiltersAndPaging() throws Exception {
        JsonNode s = json("/api/sessions?limit=2");
        assertThat(s.at("/items/0/id").asText()).isEqualTo("session-1");
        assertThat(s.get("items")).hasSize(2);
        assertThat(s.at("/items/1/id").asText()).isEqualTo("session-2");
        assertThat(json("/api/sessions?after=" + s.get("next_after").asText()).at("/items/0/id").asText())
                .isEqualTo("session-3");
        JsonNode failed = json("/api/sessions?state=failed");
        assertThat(failed.get("items")).hasSize(1);
        assertThat(failed.at("/items/0/worktree_name").asText()).isEqualTo("wt-2");
        assertThat(json("/api/sessions?worktree=wt-3").at("/items/0/id").asText()).isEqualTo("session-3");

        assertThat(json("/api/workflows").get("items")).hasSize(2);
        JsonNode deploy = json("/api/workflows?tag=cd");
        assertThat(deploy.get("items")).hasSize(1);
        assertThat(deploy.at("/items/0/name").asText()).isEqualTo("deploy");
        assertThat(json("/api/workflows?author=ana&name=build").at("/items/0/id").asText()).isEqualTo("wf-a");

        JsonNode locks = json("/api/locks?limit=1");
        assertThat(locks.at("/items/0/key").asText()).isEqualTo("reduce:proj:job-1");
        assertThat(locks.at("/items/0/fencing_token").asLong()).isPositive();
        assertThat(locks.at("/items/0/holder").asText()).isNotEmpty();
        assertThat(Duration.parse(locks.at("/items/0/time_left").asText())).isPositive()
                .isLessThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(locks.get("next_after").asText()).isEqualTo("reduce:proj:job-1");
        assertThat(json("/api/locks?after=reduce:proj:job-1").at("/items/0/key").asText())
                .isEqualTo("setup:proj:job-1");
    }

    @Test
    void unknownJobsAndEndpointsAre404AndBadInputIs400() throws Exception {
        for (String path : List.of("/api/jobs/proj/nope", "/api/jobs/proj/nope/events", "/api/jobs/proj/nope/dlq",
                "/api/jobs/proj/nope/stream", "/api/jobs/proj/nope/chart.svg", "/api/nothing",
                "/api/jobs/proj/job-1/nothing")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(Json.mapper().readTree(r.body()).get("error").asText()).as(path).isNotEmpty();
        }
        assertThat(get("/jobs/proj/nope").statusCode()).isEqualTo(404);
        assertThat(get("/jobs/proj/nope").body()).contains("not found");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/assets/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/api/jobs?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/api/jobs?limit=x").statusCode()).isEqualTo(400);
        assertThat(get("/api/jobs/proj/job-1/events?after=-1").statusCode()).isEqualTo(400);
        assertThat(get("/api/sessions?state=sleeping").body()).contains("Unknown session state");
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/jobs/proj/job-1"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/api/overview"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void pagesRenderAndEscapeStoredText() throws Exception {
        HttpResponse<String> overview = get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(overview.headers().firstValue("Server-Timing")).hasValueSatisfying(v ->
                assertThat(v).startsWith("app;dur="));
        assertThat(overview.body()).contains("href=\"/jobs/proj/job-1\"", "status-running", "75% (3/4)");

        String job = get("/jobs/proj/job-1").body();
        assertThat(job).contains("id=\"event-chart\"", "data-stream=\"/api/jobs/proj/job-1/stream\"",
                "data-after=\"10\"", "merge conflict again", "reprocessor-1", "map-1", "agent-2");
        assertThat(job).doesNotContain("<script>alert").contains("&lt;script&gt;alert");
        assertThat(sumOfBars(job, null)).isEqualTo(10);

        assertThat(get("/jobs/proj/job-1?events_after=0&limit=2").body()).contains("newer →")
                .contains("events_after=2");
        assertThat(get("/sessions?state=failed").body()).contains("session-2").doesNotContain("session-3");
        assertThat(get("/workflows?tag=ci").body()).contains("wf-a").doesNotContain("wf-b");
        assertThat(get("/locks").body()).contains("reduce:proj:job-1", "setup:proj:job-1");
        assertThat(get("/assets/dashboard.js").body()).contains("EventSource");
        assertThat(get("/assets/dashboard.css").statusCode()).isEqualTo(200);
    }

    @Test
    void liveTailStreamsEventsAppendedAfterItOpened(@TempDir Path own) throws Exception {
        // A store of its own, so the other tests' counts stay as the fixture made them.
        try (UnifiedStorage store = Fixture.open(own);
                Dashboard d = Dashboard.start(store, DashboardOptions.loopback(0))) {
            streamSeesAppend(store, d);
        }
    }

    private void streamSeesAppend(UnifiedStorage store, Dashboard d) throws Exception {
        io.prodigy.storage.id.JobRef live = io.prodigy.storage.id.JobRef.of("proj", "live");
        store.events().append(live, List.of(NewEvent.of("job_started", null)));
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(d.uri().resolve("/api/jobs/proj/live/stream"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
                List<String> got = new ArrayList<>();
                try {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        got.add(l);
                        if (l.startsWith("data:")) {
                            return got;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return got;
            });
            // Wait until the stream is open before appending, so the event is a new one.
            Thread.sleep(300);
            store.events().append(live, List.of(NewEvent.of("agent_progress",
                    Json.nodes().objectNode().put("pct", 50)).withAgentId("agent-1")));
            List<String> got = lines.get(30, TimeUnit.SECONDS);
            assertThat(got).contains("id: 2");
            JsonNode e = Json.mapper().readTree(got.get(got.size() - 1).substring("data:".length()));
            assertThat(e.get("sequence").asLong()).isEqualTo(2);
            assertThat(e.get("event_type").asText()).isEqualTo("agent_progress");
        }
    }

    private static List<Long> sequences(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("items").forEach(e -> out.add(e.get("sequence").asLong()));
        return out;
    }

    /** Sum of {@code data-count} of the chart's bars (of one type, or all). */
    static long sumOfBars(String markup, String type) {
        Matcher m = Pattern.compile("<rect class=\"bar\" data-type=\"([^\"]+)\" data-count=\"(\\d+)\"")
                .matcher(markup);
        long sum = 0;
        while (m.find()) {
            if (type == null || type.equals(m.group(1))) {
                sum += Long.parseLong(m.group(2));
            }
        }
        return sum;
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return dashboard.uri().resolve(path);
    }
}
