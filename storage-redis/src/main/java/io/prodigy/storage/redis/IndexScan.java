package io.prodigy.storage.redis;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads a lex index page by page (keyset paging: each page starts after the last member of the previous one), turns
 * each page into records with one more round trip, keeps those that pass the full filter and stops at the limit. The
 * filter is applied to the records read, not to the index, so a record changed between the two reads is judged by
 * what it now holds.
 */
final class IndexScan {

    static final int PAGE = 256;

    private IndexScan() {}

    /**
     * @param min    lex lower bound ({@code -}, {@code [x} or {@code (x})
     * @param max    lex upper bound
     * @param limit  at most this many results; 0 for all
     * @param fetch  the records of a page of members (absent records left out), in member order
     */
    static <T> List<T> collect(RedisClient client, String what, String index, String min, String max, long limit,
            Function<List<String>, List<T>> fetch, Predicate<T> keep) {
        List<T> out = new ArrayList<>();
        String from = min;
        while (true) {
            String start = from;
            List<String> members = client.read(what, j -> j.zrangeByLex(index, start, max, 0, PAGE));
            if (members.isEmpty()) {
                return out;
            }
            for (T record : fetch.apply(members)) {
                if (keep.test(record)) {
                    out.add(record);
                    if (limit > 0 && out.size() >= limit) {
                        return out;
                    }
                }
            }
            if (members.size() < PAGE) {
                return out;
            }
            from = "(" + members.get(members.size() - 1);
        }
    }

    /**
     * One page of a listing in {@code keyset}'s order, read from a lex index whose members start with the item's
     * time code (so index order is the keyset's time order). The walk starts at the position's time and collects the
     * items after the position that pass {@code keep}, until it holds one more than the page and every item of the
     * same time as that one (ties in time are ordered by the keyset's other parts, which the index may order
     * differently); {@link Keyset#page} then sorts, cuts and makes the shared cursor.
     */
    static <T> Page<T> page(RedisClient client, String what, String index, String min, String max, Keyset<T> keyset,
            PageRequest request, Function<List<String>, List<T>> fetch, Predicate<T> keep) {
        Optional<PageKey> position = keyset.position(request);
        String from = min;
        if (position.isPresent()) {
            String code = TimeCode.of(position.get().at());
            if (min.equals("-") || code.compareTo(min.substring(1)) > 0) {
                from = "[" + code;
            }
        }
        List<T> candidates = new ArrayList<>();
        Instant cutoff = null;
        while (true) {
            String start = from;
            List<String> members = client.read(what, j -> j.zrangeByLex(index, start, max, 0, PAGE));
            for (T item : fetch.apply(members)) {
                if (!keep.test(item) || !keyset.isAfter(item, position)) {
                    continue;
                }
                Instant at = keyset.keyOf(item).at();
                if (cutoff != null && at.isAfter(cutoff)) {
                    return keyset.page(candidates, request);
                }
                candidates.add(item);
                if (cutoff == null && candidates.size() > request.limit()) {
                    cutoff = at;
                }
            }
            if (members.size() < PAGE) {
                return keyset.page(candidates, request);
            }
            from = "(" + members.get(members.size() - 1);
        }
    }

    /**
     * A page of the jobs in a jobs index (members {@code repository NUL job}, so member order is repository then job
     * order by bytes), of one repository or of all ({@code null}).
     */
    static Page<JobRef> jobs(RedisClient client, String what, String index, String repository, Keyset<JobRef> keyset,
            PageRequest request) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Optional<PageKey> position = keyset.position(request);
        String min = repository == null ? "-" : "[" + repository + Keys.SEP;
        String max = repository == null ? "+" : "(" + repository + "\u0001";
        if (position.isPresent()) {
            String after = "(" + position.get().parts().get(0) + Keys.SEP + position.get().parts().get(1);
            if (min.equals("-") || after.substring(1).compareTo(min.substring(1)) >= 0) {
                min = after;
            }
        }
        String from = min;
        List<String> members = client.read(what, j -> j.zrangeByLex(index, from, max, 0, request.limit() + 1));
        return keyset.page(members.stream().map(Keys::parseJobMember).toList(), request);
    }

    /** The id at the end of a {@code time code + id} member. */
    static String idOf(String member) {
        return member.substring(TimeCode.LENGTH);
    }
}
