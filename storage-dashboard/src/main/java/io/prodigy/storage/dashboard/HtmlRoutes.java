package io.prodigy.storage.dashboard;

import io.prodigy.storage.dashboard.html.Pages;
import io.prodigy.storage.dashboard.view.JobDetail;
import io.prodigy.storage.dashboard.view.JobReader;
import io.prodigy.storage.dashboard.view.Page;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pages: each reads what the matching API endpoints read and renders it (see {@link Pages}). */
final class HtmlRoutes {

    private final Api api;

    HtmlRoutes(Api api) {
        this.api = api;
    }

    String get(List<String> path, Map<String, String> q) {
        String backend = api.storage().backendType();
        if (path.isEmpty()) {
            return Pages.overview(backend, api.health(), api.repositories(), api.jobSummaries(q), q);
        }
        switch (path.get(0)) {
            case "jobs" -> {
                if (path.size() == 3) {
                    return job(api.existingJob(path.get(1), path.get(2)), q);
                }
            }
            case "sessions" -> {
                if (path.size() == 1) {
                    return Pages.sessions(backend, api.listings().sessions(Api.sessionFilter(q), Api.after(q),
                            Api.limit(q)), q);
                }
            }
            case "workflows" -> {
                if (path.size() == 1) {
                    return Pages.workflows(backend, api.listings().workflows(Api.workflowFilter(q), Api.after(q),
                            Api.limit(q)), q);
                }
            }
            case "locks" -> {
                if (path.size() == 1) {
                    return Pages.locks(backend, api.locks(q), q);
                }
            }
            default -> { }
        }
        throw HttpError.notFound("There is no page /" + String.join("/", path) + ".");
    }

    private String job(JobRef job, Map<String, String> q) {
        JobDetail detail = api.jobs().detail(job);
        JobReader.Recent recent = api.jobs().recent(detail.events());
        Map<String, String> eventsQuery = sub(q, "events_after");
        int limit = Api.limit(eventsQuery);
        Page<EventRecord> events;
        if (!eventsQuery.containsKey("after") && recent.window().size() >= Math.min(limit,
                detail.events().lastSequence())) {
            // The first page is the newest events: the tail of the window read for the chart.
            List<EventRecord> w = recent.window();
            events = Page.of(w.subList(Math.max(0, w.size() - limit), w.size()), limit, null);
        } else {
            events = api.events(job, eventsQuery);
        }
        return Pages.job(api.storage().backendType(), detail, recent, events,
                api.listings().checkpoints(job, Api.after(sub(q, "checkpoints_after")), Api.limit(q)),
                api.listings().dlq(job, Api.after(sub(q, "dlq_after")), Api.limit(q)), q);
    }

    /** The page's query with {@code param} as the {@code after} of one section. */
    private static Map<String, String> sub(Map<String, String> q, String param) {
        Map<String, String> m = new HashMap<>();
        if (q.containsKey("limit")) {
            m.put("limit", q.get("limit"));
        }
        if (q.containsKey(param)) {
            m.put("after", q.get(param));
        }
        return m;
    }
}
