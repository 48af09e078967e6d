package io.prodigy.storage.cli.sessions;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.CommandFailedException;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.LiveWork;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Confirmation;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.cli.paging.PageOptions;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sessions list|show|delete}: the global session records. */
@Command(name = "sessions", description = "List, show and delete sessions.", mixinStandardHelpOptions = true,
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.ShowSession.class,
            SessionsCommand.DeleteSessions.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage sessions list --state in_progress", "  prodigy-storage sessions show session-1234",
            "  prodigy-storage sessions delete session-1234 --yes"})
public final class SessionsCommand extends io.prodigy.storage.cli.GroupCommand {

    @Command(name = "list", description = "List sessions, oldest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage sessions list", "  prodigy-storage sessions list --state failed --limit 20",
                "  prodigy-storage sessions list --limit 20 --cursor CURSOR", "  prodigy-storage --json sessions list"})
    static final class ListSessions extends StorageCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Option(names = "--state", paramLabel = "STATE",
                description = "Only sessions in this state: ${COMPLETION-CANDIDATES}.")
        SessionState state;

        @Option(names = "--limit", paramLabel = "N", description = "At most N sessions (0 = all; default ${DEFAULT-VALUE}).",
                defaultValue = "100")
        int limit;

        @Mixin
        PageOptions paging;

        @Override
        protected int execute(CliContext ctx) {
            SessionFilter filter = SessionFilter.ALL.withState(state);
            PageOptions.Fetched<PersistedSession> fetched = paging.fetch(limit,
                    page -> ctx.storage().sessions().list(filter, page));
            List<PersistedSession> sessions = fetched.items();
            Output out = ctx.out();
            PageOptions.noteMore(ctx, fetched, "sessions");
            if (ctx.json()) {
                out.printJson(sessions);
                return ExitCodes.OK;
            }
            if (sessions.isEmpty()) {
                out.line(state == null ? "No sessions stored." : "No sessions in state " + state + ".");
                return ExitCodes.OK;
            }
            Table t = Table.of("ID", "STATE", "STARTED", "UPDATED", "ITERATIONS", "FILES", "WORKTREE")
                    .alignRight(4, 5);
            for (PersistedSession s : sessions) {
                t.row(s.id(), s.state(), Formats.time(s.startedAt()), Formats.age(s.updatedAt(), ctx.now()),
                        s.iterationsCompleted(), s.filesChanged(), s.worktreeName());
            }
            t.print(out.out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one session with its metadata.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = {"  prodigy-storage sessions show session-1234",
                "  prodigy-storage --json sessions show session-1234"})
    static final class ShowSession extends StorageCommand {
        @Override
        protected boolean readsOnly() {
            return true;
        }


        @Parameters(paramLabel = "ID", description = "The session id.")
        String id;

        @Override
        protected int execute(CliContext ctx) {
            CliContext.checkId("session id", id);
            PersistedSession s = ctx.storage().sessions().load(id).orElseThrow(() -> new CommandFailedException(
                    "Session '" + id + "' does not exist. Run 'prodigy-storage sessions list' to see the stored"
                            + " sessions."));
            Output out = ctx.out();
            if (ctx.json()) {
                out.printJson(s);
                return ExitCodes.OK;
            }
            out.line("Session    %s", s.id());
            out.line("State      %s", s.state());
            out.line("Started    %s", Formats.time(s.startedAt()));
            out.line("Updated    %s (%s)", Formats.time(s.updatedAt()), Formats.age(s.updatedAt(), ctx.now()));
            out.line("Progress   %d iterations, %d files changed", s.iterationsCompleted(), s.filesChanged());
            out.line("Worktree   %s", s.worktreeName() == null ? "-" : s.worktreeName());
            out.line("Revision   %d", s.revision());
            if (!s.metadata().isEmpty()) {
                out.line("Metadata");
                s.metadata().forEach((k, v) -> out.line("  %s: %s", k, v.isTextual() ? v.asText() : v.toString()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete sessions by id. Refuses a session that is in progress and was"
            + " updated within --active-within, or that a live lock names, unless --force.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  prodigy-storage sessions delete session-1234",
                "  prodigy-storage sessions delete s-1 s-2 --yes",
                "  prodigy-storage sessions delete session-1234 --force"})
    static final class DeleteSessions extends StorageCommand {

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The session ids.")
        List<String> ids;

        @Option(names = "--yes", description = "Do not ask for confirmation at a terminal.")
        boolean yes;

        @Option(names = "--force", description = "Delete sessions that look live too (breaking the locks that name"
                + " them).")
        boolean force;

        @Option(names = "--active-within", paramLabel = "DURATION", defaultValue = "15m",
                description = "An unfinished session updated this recently counts as live (default ${DEFAULT-VALUE}).")
        java.time.Duration activeWithin;

        @Override
        protected int execute(CliContext ctx) {
            ids.forEach(id -> CliContext.checkId("session id", id));
            List<String> missing = ids.stream().filter(id -> ctx.storage().sessions().load(id).isEmpty()).toList();
            if (!missing.isEmpty()) {
                throw new CommandFailedException("No session " + String.join(", ", missing) + ". Nothing was deleted."
                        + " Run 'prodigy-storage sessions list' to see the stored sessions.");
            }
            for (String id : ids) {
                PersistedSession s = ctx.storage().sessions().load(id).orElseThrow();
                boolean unfinished = s.state() == SessionState.IN_PROGRESS || s.state() == SessionState.INITIALIZING;
                if (!force && unfinished && s.updatedAt().isAfter(ctx.now().minus(activeWithin))) {
                    throw new CommandFailedException("Refusing to delete session '" + id + "': it is " + s.state()
                            + " and was updated " + Formats.age(s.updatedAt(), ctx.now()) + ", so it may still be"
                            + " running. Nothing was deleted. If it is not, run again with --force.");
                }
                LiveWork.checkOrBreak(ctx, "session '" + id + "'", id, force);
            }
            if (!yes && !Confirmation.ask(ctx, "Delete " + Formats.plural(ids.size(), "session", "sessions") + " ("
                    + String.join(", ", ids) + ")? This cannot be undone.")) {
                ctx.out().note("Nothing deleted.");
                return ExitCodes.FAILED;
            }
            List<String> deleted = ids.stream().filter(id -> ctx.storage().sessions().delete(id)).toList();
            if (ctx.json()) {
                ctx.out().printJson(java.util.Map.of("deleted", deleted));
            } else {
                ctx.out().line("Deleted " + Formats.plural(deleted.size(), "session", "sessions") + ": "
                        + String.join(", ", deleted) + ".");
            }
            return ExitCodes.OK;
        }
    }
}
