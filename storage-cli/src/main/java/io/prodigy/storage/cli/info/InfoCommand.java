package io.prodigy.storage.cli.info;

import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.ExitCodes;
import io.prodigy.storage.cli.OpenedStorage;
import io.prodigy.storage.cli.StorageCommand;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.core.ProviderRegistry;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.health.HealthReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;

/**
 * {@code info}: which backend, where the data lives, where each setting came from (flag, environment, file, default;
 * secrets masked), the layout/schema version, and what is stored per repository and category (record counts for every
 * backend, bytes where the backend reports them).
 */
@Command(name = "info", description = "Show the backend, where the data lives, the source of each setting, the"
        + " layout version, and what is stored per repository.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage info", "  prodigy-storage --storage-dir /tmp/prodigy info",
            "  PRODIGY_HOME=/srv/prodigy prodigy-storage --json info"})
public final class InfoCommand extends StorageCommand {

    @Override
    protected int execute(CliContext ctx) {
        // info looks; it does not create a store that does not exist yet, nor migrate legacy data.
        ctx.withoutLegacyMigration();
        OpenedStorage opened = ctx.openedIfExists();
        if (!opened.exists()) {
            return notCreated(ctx, opened);
        }
        UnifiedStorage storage = opened.storage();
        HealthReport health = storage.health();
        Inventory inventory = Inventory.of(storage, ctx.repositoryGiven() ? ctx.repository() : null);
        DiskUsage usage = DiskUsage.of(storage);
        Object layout = usage.layoutVersion() != null ? usage.layoutVersion()
                : health.details().getOrDefault("layout_version", health.details().get("schema_version"));
        if (ctx.json()) {
            ctx.out().printJson(document(opened, storage, health, inventory, usage, layout));
            return ExitCodes.OK;
        }
        Output out = ctx.out();
        out.line("Backend       %s", opened.backend());
        out.line("Location      %s", opened.location());
        out.line("Config file   %s", opened.configFile() == null ? "(none)"
                : Redaction.redactUrl(opened.configFile().toString()));
        out.line("Layout        %s", layout == null ? "(not reported by the backend)" : "version " + layout);
        out.line("Health        %s%s", health.status(), health.message().isEmpty() ? "" : " - " + health.message());
        out.line("Capabilities  %s", String.join(", ", new TreeSet<>(storage.capabilities().stream()
                .map(Enum::name).toList())));
        out.line("Providers     %s", String.join(", ", providerNames()));
        out.blank();
        printSettings(out, opened);
        out.blank();
        out.line("Stored");
        out.line("  %s, %s (%s), %s", Formats.plural(inventory.sessions(), "session", "sessions"),
                Formats.plural(inventory.workflows(), "workflow", "workflows"),
                Formats.plural(inventory.workflowCheckpoints(), "workflow checkpoint", "workflow checkpoints"),
                Formats.plural(inventory.locks(), "live lock", "live locks"));
        if (inventory.repositories().isEmpty()) {
            out.line("  no repositories yet (run 'prodigy-storage demo' to create a job)");
        } else {
            Table repos = Table.of("  REPOSITORY", "JOBS", "EVENTS", "DLQ ITEMS", "CHECKPOINTS", "BYTES")
                    .alignRight(1, 2, 3, 4, 5);
            inventory.repositories().forEach((name, c) -> repos.row("  " + name, c.jobs(), Formats.count(c.events()),
                    c.dlqItems(), c.checkpoints(), usage.repositoryBytes(name).map(Formats::bytes).orElse("-")));
            repos.print(out.out());
        }
        if (usage.available()) {
            out.blank();
            out.line("Disk usage by category (%s in total)", Formats.bytes(usage.totalBytes()));
            Table t = Table.of("  CATEGORY", "RECORDS", "FILES", "BYTES").alignRight(1, 2, 3);
            usage.categories().forEach((cat, u) -> t.row("  " + cat, Formats.count(u.records()), u.files(),
                    Formats.bytes(u.bytes())));
            t.print(out.out());
        }
        return ExitCodes.OK;
    }

    /** The configuration of a store that does not exist yet; nothing is created. */
    private static int notCreated(CliContext ctx, OpenedStorage opened) {
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("backend", opened.backend());
            doc.put("location", opened.location());
            doc.put("base_dir", opened.baseDir() == null ? null : Redaction.redactUrl(opened.baseDir().toString()));
            doc.put("config_file", opened.configFile() == null ? null : opened.configFile().toString());
            doc.put("created", false);
            doc.put("providers", providerNames());
            doc.put("settings", opened.settings());
            doc.put("ignored", opened.ignored());
            ctx.out().printJson(doc);
            return ExitCodes.OK;
        }
        Output out = ctx.out();
        out.line("Backend       %s", opened.backend());
        out.line("Location      %s (not created yet: the first command that writes creates it)", opened.location());
        out.line("Config file   %s", opened.configFile() == null ? "(none)" : opened.configFile());
        out.line("Providers     %s", String.join(", ", providerNames()));
        out.blank();
        printSettings(out, opened);
        return ExitCodes.OK;
    }

    /**
     * The backends this build can open, by provider name: what ServiceLoader finds on the class path (the default
     * jar has file and memory; a {@code -Pdistributed} build adds postgres, redis and s3).
     */
    private static List<String> providerNames() {
        return ProviderRegistry.discover().providers().stream().map(StorageProvider::name).sorted().toList();
    }

    private static void printSettings(Output out, OpenedStorage opened) {
        out.line("Settings");
        Table settings = Table.of("  KEY", "VALUE", "SOURCE");
        opened.settings().forEach(s -> settings.row("  " + s.key(), s.value(), s.source()));
        settings.print(out.out());
        if (!opened.ignored().isEmpty()) {
            out.blank();
            out.line("Ignored");
            opened.ignored().forEach(i -> out.line("  %s", i));
        }
    }

    private static Map<String, Object> document(OpenedStorage opened, UnifiedStorage storage, HealthReport health,
            Inventory inventory, DiskUsage usage, Object layout) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("backend", opened.backend());
        doc.put("location", opened.location());
        doc.put("base_dir", opened.baseDir() == null ? null : Redaction.redactUrl(opened.baseDir().toString()));
        doc.put("config_file", opened.configFile() == null ? null : opened.configFile().toString());
        doc.put("layout_version", layout);
        doc.put("health", health.status());
        doc.put("capabilities", new TreeSet<>(storage.capabilities()));
        doc.put("created", true);
        doc.put("providers", providerNames());
        doc.put("settings", opened.settings());
        doc.put("ignored", opened.ignored());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sessions", inventory.sessions());
        counts.put("workflows", inventory.workflows());
        counts.put("workflow_checkpoints", inventory.workflowCheckpoints());
        counts.put("locks", inventory.locks());
        counts.put("repositories", inventory.repositories().size());
        counts.put("jobs", inventory.totalJobs());
        counts.put("events", inventory.totalEvents());
        counts.put("dlq_items", inventory.totalDlqItems());
        counts.put("job_checkpoints", inventory.totalJobCheckpoints());
        doc.put("counts", counts);
        List<Map<String, Object>> repos = inventory.repositories().entrySet().stream().map(e -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("repository", e.getKey());
            r.put("jobs", e.getValue().jobs());
            r.put("events", e.getValue().events());
            r.put("dlq_items", e.getValue().dlqItems());
            r.put("checkpoints", e.getValue().checkpoints());
            usage.repositoryBytes(e.getKey()).ifPresent(b -> r.put("bytes", b));
            return r;
        }).toList();
        doc.put("repositories", repos);
        if (usage.available()) {
            doc.put("disk_usage", usage.categories());
            doc.put("total_bytes", usage.totalBytes());
        }
        return doc;
    }
}
