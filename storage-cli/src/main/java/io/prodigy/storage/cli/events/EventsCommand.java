package io.prodigy.storage.cli.events;

import io.prodigy.storage.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code events list|tail|stats|export|append}: a job's event log. */
@Command(name = "events", description = "Read, follow, export and append a job's events.",
        mixinStandardHelpOptions = true,
        subcommands = {EventsList.class, EventsTail.class, EventsStats.class, EventsExport.class, EventsAppend.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage events list --job JOB --type agent_failed",
            "  prodigy-storage events tail --job JOB --follow",
            "  prodigy-storage events export --job JOB > events.jsonl",
            "  echo '{\"event_type\":\"note\"}' | prodigy-storage events append --job JOB"})
public final class EventsCommand extends GroupCommand {}
