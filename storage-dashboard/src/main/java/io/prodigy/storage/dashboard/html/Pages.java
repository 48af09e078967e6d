package io.prodigy.storage.dashboard.html;

import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.dashboard.view.AgentSummary;
import io.prodigy.storage.dashboard.view.JobDetail;
import io.prodigy.storage.dashboard.view.JobReader;
import io.prodigy.storage.dashboard.view.JobSummary;
import io.prodigy.storage.dashboard.view.JobTimeline;
import io.prodigy.storage.dashboard.view.LockView;
import io.prodigy.storage.dashboard.view.Page;
import io.prodigy.storage.dashboard.view.RepositorySummary;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.event.EventOutcome;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's pages, rendered on the server from the same records the JSON API returns. Pages carry no inline
 * script or style (the Content-Security-Policy forbids both); the live tail is the one piece of script, in
 * {@code /assets/dashboard.js}.
 */
public final class Pages {

    private static final int DATA_WIDTH = 110;

    private Pages() {}

    /** The overview: health, repositories, and one page of jobs. */
    public static String overview(String backend, HealthReport health, List<RepositorySummary> repositories,
            Page<JobSummary> jobs, Map<String, String> q) {
        Html h = new Html();
        h.raw("<section class=\"cards\">");
        h.raw("<div class=\"card\" id=\"health\"><h2>Storage health</h2><p>").raw(status(health.status().name()))
                .raw(" <span class=\"muted\">").text(health.backendType()).raw(" backend, probe ")
                .text(Formats.duration(health.probeLatency())).raw(", checked ").time(health.checkedAt())
                .raw("</span></p>");
        if (!health.message().isEmpty()) {
            h.el("p", health.healthy() ? "" : "class=\"message\"", health.message());
        }
        if (!health.details().isEmpty()) {
            h.raw("<details><summary>Backend details (").text(health.details().size()).raw(")</summary>")
                    .raw("<table class=\"kv\">");
            health.details().forEach((k, v) -> h.row(k, v));
            h.raw("</table></details>");
        }
        h.raw("</div>");
        h.raw("<div class=\"card\" id=\"repositories\"><h2>Repositories</h2>");
        if (repositories.isEmpty()) {
            h.el("p", "class=\"muted\"", "Nothing stored yet. Run 'prodigy-storage demo' to create a job.");
        } else {
            h.raw("<table>").head("Repository", "Jobs").raw("<tbody>");
            for (RepositorySummary r : repositories) {
                h.raw("<tr><td>").link(Html.url("/", Map.of("repo", r.repository())), r.repository())
                        .raw("</td><td class=\"num\">").text(r.jobCount()).raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("</div></section>");

        String repo = q.getOrDefault("repo", "");
        h.raw("<section class=\"card\" id=\"jobs\"><h2>Jobs").text(repo.isEmpty() ? "" : " in " + repo).raw("</h2>");
        if (!repo.isEmpty()) {
            h.raw("<p>").link("/", "Show every repository").raw("</p>");
        }
        h.raw("<table class=\"list\" id=\"jobs-table\">").head("Repository", "Job", "Status", "Progress", "Events",
                "Errors", "DLQ", "Checkpoints", "Last activity").raw("<tbody>");
        Instant now = Instant.now();
        for (JobSummary j : jobs.items()) {
            h.raw("<tr data-job=\"").text(j.jobId()).raw("\"><td>").text(j.repository()).raw("</td><td>")
                    .link(jobPath(JobRef.of(j.repository(), j.jobId())), j.jobId()).raw("</td><td>")
                    .raw(status(j.status().label())).raw("</td><td>").raw(progress(j)).raw("</td>");
            h.raw("<td class=\"num events\">").text(Formats.count(j.eventCount())).raw("</td>")
                    .raw("<td class=\"num\">").text(Formats.count(j.errorCount())).raw("</td>")
                    .raw("<td class=\"num dlq\">").text(Formats.count(j.dlqDepth())).raw("</td>")
                    .raw("<td class=\"num\">").text(Formats.count(j.checkpointCount())).raw("</td><td>")
                    .time(j.lastActivity()).raw(" <span class=\"muted\">")
                    .text(j.lastActivity() == null ? "" : Formats.age(j.lastActivity(), now)).raw("</span></td></tr>");
        }
        if (jobs.items().isEmpty()) {
            h.raw("<tr><td colspan=\"9\" class=\"muted\">No jobs.</td></tr>");
        }
        h.raw("</tbody></table>").raw(pager(jobs, "/", q, "after")).raw("</section>");
        return layout("Overview", "overview", backend, h.toString());
    }

    /** The job page. */
    public static String job(String backend, JobDetail d, JobReader.Recent recent, Page<EventRecord> events,
            Page<CheckpointInfo> checkpoints, Page<DlqItem> dlq, Map<String, String> q) {
        JobSummary s = d.summary();
        JobRef job = JobRef.of(s.repository(), s.jobId());
        EventStats st = d.events();
        Instant now = Instant.now();
        Html h = new Html();
        h.raw("<p class=\"crumbs\">").link("/", "Overview").raw(" / ")
                .link(Html.url("/", Map.of("repo", s.repository())), s.repository()).raw(" / ").text(s.jobId())
                .raw("</p>");
        h.raw("<h1>").text(s.jobId()).raw(" ").raw(status(s.status().label())).raw("</h1>");
        h.raw("<section class=\"stats\" id=\"job-stats\">");
        stat(h, "events", "Events", Formats.count(st.totalEvents()));
        stat(h, "success", "Success", Formats.count(st.successCount()));
        stat(h, "errors", "Errors", Formats.count(st.errorCount()));
        stat(h, "pending", "Pending", Formats.count(st.pendingCount()));
        stat(h, "dlq", "DLQ items", Formats.count(d.dlq().totalItems()));
        stat(h, "checkpoints", "Checkpoints", Formats.count(s.checkpointCount()));
        h.raw("<div class=\"stat\"><span class=\"label\">Progress</span>").raw(progress(s)).raw("</div>");
        h.raw("<div class=\"stat\"><span class=\"label\">Last activity</span>").time(s.lastActivity())
                .raw("<span class=\"muted\"> ").text(Formats.age(s.lastActivity(), now)).raw("</span></div>");
        h.raw("</section>");

        JobTimeline t = recent.timeline();
        h.raw("<section class=\"card\" id=\"chart\"><h2>Events over time</h2>");
        h.raw(EventChart.svg(t));
        h.raw("<p class=\"muted\">");
        if (t.partial()) {
            h.text("The latest " + Formats.count(t.windowEvents()) + " of " + Formats.count(t.totalEvents())
                    + " events (sequences " + t.firstSequence() + " to " + t.lastSequence() + "), ");
        } else {
            h.text("All " + Formats.count(t.windowEvents()) + " events, ");
        }
        h.text(t.buckets().size() + " buckets of " + Formats.duration(java.time.Duration.ofMillis(t.bucketMillis()))
                + ".").raw("</p><ul class=\"legend\">");
        for (String type : t.types()) {
            h.raw("<li><svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"")
                    .text(EventChart.color(t.types(), type)).raw("\"/></svg>").text(type).raw("</li>");
        }
        h.raw("</ul></section>");

        h.raw("<section class=\"cards\"><div class=\"card\" id=\"counts\"><h2>Events by type</h2><table>")
                .head("Type", "Count", "Outcome").raw("<tbody>");
        st.countsByType().forEach((type, n) -> h.raw("<tr data-type=\"").text(type).raw("\"><td>").text(type)
                .raw("</td><td class=\"num count\">").text(n).raw("</td><td>")
                .raw(outcome(EventOutcome.of(type))).raw("</td></tr>"));
        h.raw("</tbody></table></div>");
        h.raw("<div class=\"card\" id=\"agents\"><h2>Agents</h2><table>")
                .head("Agent", "Events", "Success", "Errors", "Pending", "Last event", "Last seen").raw("<tbody>");
        for (AgentSummary a : recent.agents()) {
            h.raw("<tr><td>").text(a.agentId()).raw("</td><td class=\"num\">").text(a.events())
                    .raw("</td><td class=\"num\">").text(a.successCount()).raw("</td><td class=\"num\">")
                    .text(a.errorCount()).raw("</td><td class=\"num\">").text(a.pendingCount()).raw("</td><td>")
                    .raw(outcome(EventOutcome.of(a.lastEventType()), a.lastEventType())).raw("</td><td>")
                    .time(a.lastSeen()).raw("</td></tr>");
        }
        if (recent.agents().isEmpty()) {
            h.raw("<tr><td colspan=\"7\" class=\"muted\">No agent events.</td></tr>");
        }
        h.raw("</tbody></table>");
        if (t.partial()) {
            h.el("p", "class=\"muted\"", "From the latest " + Formats.count(t.windowEvents()) + " events.");
        }
        h.raw("</div></section>");

        String base = jobPath(job);
        h.raw("<section class=\"card\" id=\"live\"><h2>Live tail <span id=\"live-state\" class=\"muted\">"
                + "connecting…</span></h2>");
        h.raw("<table class=\"events\" id=\"live-tail\" data-stream=\"")
                .text("/api" + base + "/stream").raw("\" data-after=\"").text(st.lastSequence()).raw("\">")
                .head("Seq", "Time", "Type", "Agent", "Data")
                .raw("<tbody><tr class=\"placeholder\"><td colspan=\"5\" class=\"muted\">New events appear here as"
                        + " they are appended.</td></tr></tbody></table></section>");

        h.raw("<section class=\"card\" id=\"events\"><h2>Events</h2>");
        eventsTable(h, events.items());
        h.raw("<p class=\"pager\">");
        if (!events.items().isEmpty() && events.items().get(0).sequence() > 1) {
            long first = events.items().get(0).sequence();
            h.link(Html.url(base, Html.with(q, "events_after", "0")) + "#events", "⇤ first").raw(" ")
                    .link(Html.url(base, Html.with(q, "events_after",
                            Long.toString(Math.max(0, first - 1 - events.limit())))) + "#events", "← older");
        }
        if (events.hasNext()) {
            h.raw(" ").link(Html.url(base, Html.with(q, "events_after", events.nextAfter())) + "#events", "newer →");
        }
        h.raw("</p></section>");

        h.raw("<section class=\"card\" id=\"checkpoints\"><h2>Checkpoints</h2><table>")
                .head("Checkpoint", "Kind", "Created", "Step", "Size", "Version").raw("<tbody>");
        for (CheckpointInfo c : checkpoints.items()) {
            h.raw("<tr><td>").text(c.id()).raw("</td><td>").text(c.kind().name().toLowerCase(Locale.ROOT))
                    .raw("</td><td>").time(c.createdAt()).raw("</td><td class=\"num\">").text(c.stepIndex())
                    .raw("</td><td class=\"num\">").text(Formats.bytes(c.sizeBytes())).raw("</td><td class=\"num\">")
                    .text(c.revision()).raw("</td></tr>");
        }
        if (checkpoints.items().isEmpty()) {
            h.raw("<tr><td colspan=\"6\" class=\"muted\">No checkpoints.</td></tr>");
        }
        h.raw("</tbody></table>").raw(pager(checkpoints, base, q, "checkpoints_after")).raw("</section>");

        h.raw("<section class=\"card\" id=\"dlq\"><h2>Dead-letter queue</h2>");
        for (DlqItem i : dlq.items()) {
            h.raw("<details class=\"dlq-item\"><summary><strong>").text(i.itemId()).raw("</strong> ")
                    .text(Formats.plural(i.failureHistory().size(), "failure", "failures")).raw(", last ")
                    .time(i.lastFailedAt()).raw(" · ").raw(claim(i, now)).raw(" · <span class=\"error\">")
                    .text(Formats.abbreviate(i.lastError(), 90)).raw("</span></summary>");
            h.raw("<table>").head("#", "Failed at", "Agent", "Error").raw("<tbody>");
            int n = 1;
            for (FailureRecord f : i.failureHistory()) {
                h.row(n++, Formats.preciseTime(f.at()), f.agentId() == null ? "-" : f.agentId(), f.error());
            }
            h.raw("</tbody></table><p class=\"muted\">Work item: <code>")
                    .text(Formats.abbreviate(i.workItem().toString(), 300)).raw("</code></p></details>");
        }
        if (dlq.items().isEmpty()) {
            h.el("p", "class=\"muted\"", "The dead-letter queue is empty.");
        }
        h.raw(pager(dlq, base, q, "dlq_after")).raw("</section>");
        return layout(s.jobId(), "job", backend, h.toString());
    }

    public static String sessions(String backend, Page<PersistedSession> page, Map<String, String> q) {
        Html h = new Html();
        h.raw("<section class=\"card\"><h2>Sessions</h2><form method=\"get\" action=\"/sessions\" class=\"filters\">"
                + "<label>State <select name=\"state\"><option value=\"\">any</option>");
        String state = q.getOrDefault("state", "");
        for (SessionState s : SessionState.values()) {
            String v = s.name().toLowerCase(Locale.ROOT);
            h.raw("<option value=\"").text(v).raw(v.equalsIgnoreCase(state) ? "\" selected>" : "\">").text(v)
                    .raw("</option>");
        }
        h.raw("</select></label> <label>Worktree <input name=\"worktree\" value=\"")
                .text(q.getOrDefault("worktree", "")).raw("\"></label> <button>Filter</button></form>");
        h.raw("<table class=\"list\" id=\"sessions-table\">")
                .head("Session", "State", "Started", "Updated", "Iterations", "Files", "Worktree").raw("<tbody>");
        for (PersistedSession s : page.items()) {
            h.raw("<tr><td>").text(s.id()).raw("</td><td>").raw(status(s.state().name())).raw("</td><td>")
                    .time(s.startedAt()).raw("</td><td>").time(s.updatedAt()).raw("</td><td class=\"num\">")
                    .text(s.iterationsCompleted()).raw("</td><td class=\"num\">").text(s.filesChanged())
                    .raw("</td><td>").text(s.worktreeName() == null ? "-" : s.worktreeName()).raw("</td></tr>");
        }
        if (page.items().isEmpty()) {
            h.raw("<tr><td colspan=\"7\" class=\"muted\">No sessions match.</td></tr>");
        }
        h.raw("</tbody></table>").raw(pager(page, "/sessions", q, "after")).raw("</section>");
        return layout("Sessions", "sessions", backend, h.toString());
    }

    public static String workflows(String backend, Page<WorkflowInfo> page, Map<String, String> q) {
        Html h = new Html();
        h.raw("<section class=\"card\"><h2>Workflows</h2><form method=\"get\" action=\"/workflows\""
                + " class=\"filters\">");
        for (String f : List.of("name", "tag", "author")) {
            h.raw("<label>").text(f.substring(0, 1).toUpperCase(Locale.ROOT) + f.substring(1))
                    .raw(" <input name=\"").text(f).raw("\" value=\"").text(q.getOrDefault(f, "")).raw("\"></label> ");
        }
        h.raw("<button>Filter</button></form>");
        h.raw("<table class=\"list\" id=\"workflows-table\">")
                .head("Workflow", "Name", "Version", "Created", "Updated", "Executions", "Revision").raw("<tbody>");
        for (WorkflowInfo w : page.items()) {
            h.raw("<tr><td>").text(w.id()).raw("</td><td>").text(w.name()).raw("</td><td>").text(w.version())
                    .raw("</td><td>").time(w.createdAt()).raw("</td><td>").time(w.updatedAt())
                    .raw("</td><td class=\"num\">").text(w.executionCount()).raw("</td><td class=\"num\">")
                    .text(w.revision()).raw("</td></tr>");
        }
        if (page.items().isEmpty()) {
            h.raw("<tr><td colspan=\"7\" class=\"muted\">No workflows match.</td></tr>");
        }
        h.raw("</tbody></table>").raw(pager(page, "/workflows", q, "after")).raw("</section>");
        return layout("Workflows", "workflows", backend, h.toString());
    }

    public static String locks(String backend, Page<LockView> page, Map<String, String> q) {
        Html h = new Html();
        h.raw("<section class=\"card\"><h2>Locks</h2><table class=\"list\" id=\"locks-table\">")
                .head("Key", "Holder", "Owner", "Acquired", "Expires", "Time left", "Fencing token").raw("<tbody>");
        for (LockView l : page.items()) {
            h.raw("<tr><td>").text(l.key()).raw("</td><td>").text(l.holder()).raw("</td><td>")
                    .text(l.owner().isEmpty() ? "-" : l.owner()).raw("</td><td>").time(l.acquiredAt())
                    .raw("</td><td>").time(l.expiresAt()).raw("</td><td class=\"num\">")
                    .text(l.timeLeft().isZero() ? "expired" : Formats.duration(l.timeLeft()))
                    .raw("</td><td class=\"num\">").text(l.fencingToken()).raw("</td></tr>");
        }
        if (page.items().isEmpty()) {
            h.raw("<tr><td colspan=\"7\" class=\"muted\">No locks are held.</td></tr>");
        }
        h.raw("</tbody></table>").raw(pager(page, "/locks", q, "after")).raw("</section>");
        return layout("Locks", "locks", backend, h.toString());
    }

    public static String error(int status, String message) {
        Html h = new Html();
        h.raw("<section class=\"card\"><h2>").text(status == 404 ? "Not found" : status == 401 ? "Access token needed"
                : "Error " + status).raw("</h2>").el("p", "class=\"message\"", message)
                .raw("<p>").link("/", "Back to the overview").raw("</p></section>");
        return layout("Error " + status, "", null, h.toString());
    }

    /** The path of a job's page. */
    public static String jobPath(JobRef job) {
        return "/jobs/" + Html.enc(job.repository()) + "/" + Html.enc(job.jobId());
    }

    private static void eventsTable(Html h, List<EventRecord> events) {
        h.raw("<table class=\"events\">").head("Seq", "Time", "Type", "Agent", "Data").raw("<tbody>");
        for (EventRecord e : events) {
            h.raw("<tr><td class=\"num\">").text(e.sequence()).raw("</td><td class=\"t\">")
                    .text(Formats.preciseTime(e.timestamp())).raw("</td><td>")
                    .raw(outcome(EventOutcome.of(e.eventType()), e.eventType())).raw("</td><td>")
                    .text(e.agentId() == null ? "-" : e.agentId()).raw("</td><td><code>")
                    .text(Formats.abbreviate(e.data().toString(), DATA_WIDTH)).raw("</code></td></tr>");
        }
        if (events.isEmpty()) {
            h.raw("<tr><td colspan=\"5\" class=\"muted\">No events.</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void stat(Html h, String id, String label, String value) {
        h.raw("<div class=\"stat\" id=\"stat-").text(id).raw("\"><span class=\"label\">").text(label)
                .raw("</span><span class=\"value\">").text(value).raw("</span></div>");
    }

    private static String status(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        return "<span class=\"status status-" + Html.esc(l) + "\">" + Html.esc(l.replace('_', ' ')) + "</span>";
    }

    private static String outcome(EventOutcome o) {
        return outcome(o, o.name().toLowerCase(Locale.ROOT));
    }

    private static String outcome(EventOutcome o, String text) {
        return "<span class=\"outcome outcome-" + o.name().toLowerCase(Locale.ROOT) + "\">" + Html.esc(text)
                + "</span>";
    }

    private static String progress(JobSummary j) {
        if (j.progress() == null) {
            return "<span class=\"muted\">-</span>";
        }
        return "<progress max=\"100\" value=\"" + j.progress().percent() + "\"></progress> <span class=\"muted\">"
                + j.progress().percent() + "% (" + j.progress().completedItems() + "/" + j.progress().totalItems()
                + ")</span>";
    }

    private static String claim(DlqItem i, Instant now) {
        if (i.claim() == null) {
            return "<span class=\"muted\">not claimed</span>";
        }
        return (i.isClaimedAt(now) ? "claimed by " : "claim expired, was ") + Html.esc(i.claim().worker())
                + " until " + Html.esc(Formats.time(i.claim().expiresAt()));
    }

    private static String pager(Page<?> page, String path, Map<String, String> q, String param) {
        if (!page.hasNext() && !q.containsKey(param)) {
            return "";
        }
        Html h = new Html();
        h.raw("<p class=\"pager\">");
        if (q.containsKey(param)) {
            h.link(Html.url(path, Html.with(q, param, "")), "⇤ first page").raw(" ");
        }
        if (page.hasNext()) {
            h.link(Html.url(path, Html.with(q, param, page.nextAfter())), "next page →");
        }
        return h.raw("</p>").toString();
    }

    private static String layout(String title, String active, String backend, String body) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
                + " content=\"width=device-width, initial-scale=1\"><title>").text(title)
                .raw(" · prodigy-storage</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">"
                        + "<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">"
                        + "<script src=\"/assets/dashboard.js\" defer></script></head><body><header><nav>"
                        + "<a class=\"brand\" href=\"/\">prodigy-storage</a>");
        for (String[] item : new String[][] {{"overview", "/", "Overview"}, {"sessions", "/sessions", "Sessions"},
            {"workflows", "/workflows", "Workflows"}, {"locks", "/locks", "Locks"}}) {
            h.raw("<a href=\"").raw(item[1]).raw(item[0].equals(active) ? "\" class=\"active\">" : "\">")
                    .text(item[2]).raw("</a>");
        }
        if (backend != null) {
            h.raw("<span class=\"backend\">").text(backend).raw(" backend · read-only</span>");
        }
        h.raw("</nav></header><main>").raw(body).raw("</main></body></html>");
        return h.toString();
    }
}
