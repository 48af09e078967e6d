package io.prodigy.storage.cli.output;

import io.prodigy.storage.dashboard.text.Formats;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.json.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * How a command prints: human text, or with {@code --json} exactly one JSON document on stdout (the project's JSON
 * conventions: snake_case names, ISO-8601 UTC timestamps). Warnings and notes always go to stderr so that stdout stays
 * parseable.
 */
public final class Output {

    private static final ObjectWriter PRETTY = Json.mapper().writerWithDefaultPrettyPrinter();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    public Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Whether {@code --json} was given. */
    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Prints {@code value} as the command's one JSON document. */
    public void printJson(Object value) {
        try {
            out.println(PRETTY.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write JSON output", e);
        }
        out.flush();
    }

    /** One line of human output (not used in JSON mode). */
    public void line(String text) {
        out.println(Redaction.redactUrl(Formats.printable(text, true)));
    }

    /** Like {@link #line(String)}; every argument is made {@link Formats#printable(String) printable} first. */
    public void line(String format, Object... args) {
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] instanceof CharSequence cs ? Formats.printable(cs.toString()) : args[i];
        }
        out.println(Redaction.redactUrl(String.format(java.util.Locale.ROOT, format, safe)));
    }

    public void blank() {
        out.println();
    }

    /** A note for the person at the terminal, on stderr (never mixed into results). */
    public void note(String text) {
        err.println(Redaction.redactUrl(Formats.printable(text, true)));
        err.flush();
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
