package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code migrate legacy|import|copy}: moving data into the configured storage, or out of it. */
@Command(name = "migrate", description = "Migrate a project's legacy .prodigy/, import data written by the original"
        + " tool, or copy everything to another backend.", mixinStandardHelpOptions = true,
        subcommands = {MigrateLegacy.class, MigrateImport.class, MigrateCopy.class},
        footerHeading = "%nExamples:%n",
        footer = {"  prodigy-storage migrate legacy --dry-run", "  prodigy-storage migrate import ~/.prodigy-old",
            "  prodigy-storage migrate copy --to-config target.yml --verify",
            "  prodigy-storage migrate copy --to postgresql://app@db/prodigy --follow --until-file /tmp/cut-over"})
public final class MigrateCommand extends GroupCommand {}
