package io.prodigy.storage.postgres;

import io.prodigy.storage.page.PageKey;
import java.util.List;
import java.util.Optional;

/**
 * Keyset pages in SQL: the shared cursor ({@code Keyset.position}) becomes a row comparison on the listing's index
 * columns, {@code (time, id) > (?, ?)}, with ids compared {@code COLLATE "C"} (UTF-8 byte order, the order of
 * {@code Orders}). A page query fetches one row more than the page, so {@code Keyset.page} knows whether a next page
 * exists and makes its cursor.
 */
final class Paging {

    private Paging() {}

    /**
     * Appends {@code AND (timeColumn, nameColumns…) > (?, ?…)} for a position of a time-ordered listing, or
     * {@code AND (nameColumns…) > (?…)} when {@code timeColumn} is {@code null}; nothing for the first page.
     */
    static void after(Optional<PageKey> position, String timeColumn, List<String> nameColumns, StringBuilder sql,
            List<Object> args) {
        if (position.isEmpty()) {
            return;
        }
        PageKey key = position.get();
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        if (timeColumn != null) {
            left.append(timeColumn);
            right.append('?');
            args.add(key.at());
        }
        for (int i = 0; i < nameColumns.size(); i++) {
            if (!left.isEmpty()) {
                left.append(", ");
                right.append(", ");
            }
            left.append(nameColumns.get(i));
            right.append("?::text COLLATE \"C\"");
            args.add(key.parts().get(i));
        }
        sql.append(" AND (").append(left).append(") > (").append(right).append(')');
    }

    /** {@code LIMIT n + 1}: one row beyond the page tells whether there is a next one. */
    static String limit(int pageLimit) {
        return " LIMIT " + (pageLimit + 1);
    }
}
