package io.prodigy.storage.cli.paging;

import io.prodigy.storage.cli.CliContext;
import io.prodigy.storage.cli.UsageException;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --cursor C} of the list commands, and how they read a listing with it and their {@code --limit}: a listing
 * is read a page at a time, and when it was cut the next cursor is printed, so a long listing is walked by running
 * the command again rather than read whole.
 */
public final class PageOptions {

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Continue a listing where the previous run stopped (the cursor it printed).")
    String cursor;

    /** What a run read: the items, and the cursor of the rest if the listing was cut. */
    public record Fetched<T>(List<T> items, Optional<String> next) {}

    /**
     * Reads the listing from {@code --cursor} on: at most {@code limit} items ({@code 0}: to the end), in pages of
     * at most {@link PageRequest#MAX_LIMIT}.
     *
     * @throws UsageException if {@code limit} is negative
     */
    public <T> Fetched<T> fetch(int limit, Function<PageRequest, Page<T>> listing) {
        if (limit < 0) {
            throw new UsageException("--limit must not be negative, was " + limit);
        }
        if (limit == 0) {
            try (Stream<T> all = Pages.stream(PageRequest.after(cursor, PageRequest.MAX_LIMIT), listing)) {
                return new Fetched<>(all.toList(), Optional.empty());
            }
        }
        List<T> items = new ArrayList<>();
        String next = cursor;
        do {
            // Each request asks for no more than still wanted, so the last page ends at the limit and its next
            // cursor is exactly where a following run continues.
            Page<T> page = listing.apply(PageRequest.after(next, Math.min(PageRequest.MAX_LIMIT, limit - items.size())));
            items.addAll(page.items());
            next = page.next().orElse(null);
        } while (next != null && items.size() < limit);
        return new Fetched<>(items, Optional.ofNullable(next));
    }

    /** Says on stderr how to continue a cut listing of {@code what} (stdout stays the listing, JSON or table). */
    public static void noteMore(CliContext ctx, Fetched<?> fetched, String what) {
        fetched.next().ifPresent(next -> ctx.out().note("(showing " + fetched.items().size() + " " + what
                + "; more follow: continue with --cursor " + next + ", or use --limit 0 for all)"));
    }
}
