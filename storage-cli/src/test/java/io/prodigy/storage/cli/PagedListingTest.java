package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The list commands read a page, print the cursor of the rest, and continue from it with {@code --cursor}. */
class PagedListingTest {

    private static final Pattern CURSOR = Pattern.compile("--cursor (\\S+),");
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path tmp;

    /** Runs the command page by page (JSON on stdout, the cursor on stderr) and returns every id it listed. */
    private static List<String> walk(TestCli cli, String field, String... command) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int runs = 0; runs < 20; runs++) {
            List<String> args = new ArrayList<>(List.of("--json"));
            args.addAll(List.of(command));
            if (cursor != null) {
                args.addAll(List.of("--cursor", cursor));
            }
            CliResult r = cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.json().size()).as("a page of --limit 2").isLessThanOrEqualTo(2);
            r.json().forEach(n -> ids.add(n.get(field).asText()));
            Matcher m = CURSOR.matcher(r.err());
            if (!m.find()) {
                return ids;
            }
            cursor = m.group(1);
        }
        throw new AssertionError("the listing never ended: " + ids);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyListCommandWalksPageByPageWithTheCursorItPrints(Backend backend) {
        JobRef job = JobRef.of("proj", "job-1");
        try (Backend.Fixture f = backend.open(tmp)) {
            f.withStorage(s -> {
                for (int i = 5; i >= 1; i--) {
                    s.sessions().save(PersistedSession.create("session-" + i, T.plusSeconds(i)));
                    s.workflows().save(new WorkflowDefinition("wf-" + i, "w", "1", T.plusSeconds(i), null, null,
                            null, 0));
                    s.dlq().add(job, DlqFailure.of("item-" + i, null, "boom").withAt(T.plusSeconds(i)));
                    s.events().append(JobRef.of("proj", "job-" + i), List.of(NewEvent.of("x", null)));
                }
            });
            TestCli cli = f.cli(tmp);

            assertThat(walk(cli, "id", "sessions", "list", "--limit", "2"))
                    .containsExactly("session-1", "session-2", "session-3", "session-4", "session-5");
            assertThat(walk(cli, "id", "workflows", "list", "--limit", "2"))
                    .containsExactly("wf-1", "wf-2", "wf-3", "wf-4", "wf-5");
            assertThat(walk(cli, "item_id", "--repo", "proj", "dlq", "list", "--job", "job-1", "--limit", "2"))
                    .containsExactly("item-1", "item-2", "item-3", "item-4", "item-5");
            assertThat(walk(cli, "job_id", "jobs", "list", "--limit", "2"))
                    .containsExactly("job-1", "job-2", "job-3", "job-4", "job-5");

            CliResult all = cli.run("--json", "sessions", "list", "--limit", "0");
            assertThat(all.json().size()).isEqualTo(5);
            assertThat(all.err()).as("nothing more to say about an uncut listing").doesNotContain("--cursor");

            CliResult bad = cli.run("sessions", "list", "--cursor", "not-a-cursor");
            assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains("Invalid page cursor for the session listing");
        }
    }
}
