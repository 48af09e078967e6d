package io.prodigy.storage.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the man pages (AsciiDoc man page sources, one per command and subcommand) from the tool's command model.
 * Run at build time by the exec plugin (storage-cli/pom.xml) into {@code target/generated-docs/man}.
 */
public final class ManPages {

    private ManPages() {}

    public static void main(String[] args) throws IOException {
        File outdir = new File(args.length > 0 ? args[0] : "target/generated-docs/man");
        CliEnvironment env = new CliEnvironment(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                System.in, Map.of(), Path.of(""), Clock.systemUTC(), false, StorageOpener.factory());
        int code = ManPageGenerator.generateManPage(outdir, null, new boolean[0], true,
                ProdigyStorageCli.commandLine(env).getCommandSpec());
        if (code != 0) {
            throw new IllegalStateException("man page generation failed with code " + code);
        }
    }
}
