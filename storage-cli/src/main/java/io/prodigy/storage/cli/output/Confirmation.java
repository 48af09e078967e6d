package io.prodigy.storage.cli.output;

import io.prodigy.storage.cli.CliContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Asks before a destructive command, only when a person is at a terminal; scripts (no terminal) are not asked and
 * pass {@code --yes} for clarity.
 */
public final class Confirmation {

    private Confirmation() {}

    /** {@code true} if there is no terminal to ask, or the person answered yes. */
    public static boolean ask(CliContext ctx, String question) {
        if (!ctx.environment().interactive()) {
            return true;
        }
        ctx.out().err().print(question + " [y/N]: ");
        ctx.out().err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(ctx.environment().stdin(),
                    StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).matches("y|yes");
        } catch (IOException e) {
            return false;
        }
    }
}
