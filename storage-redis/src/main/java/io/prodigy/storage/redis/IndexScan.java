package io.prodigy.storage.redis;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.util.ArrayList;
import java.util.List;
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
     * The jobs in a jobs index (members {@code repository NUL job}), of one repository or of all ({@code null}), in
     * repository then job order.
     */
    static List<JobRef> jobs(RedisClient client, String what, String index, String repository) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        String min = repository == null ? "-" : "[" + repository + Keys.SEP;
        String max = repository == null ? "+" : "(" + repository + "\u0001";
        return collect(client, what, index, min, max, 0, members -> members.stream().map(Keys::parseJobMember).toList(),
                job -> true);
    }

    /** The id at the end of a {@code time code + id} member. */
    static String idOf(String member) {
        return member.substring(TimeCode.LENGTH);
    }
}
