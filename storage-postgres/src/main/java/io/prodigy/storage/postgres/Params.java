package io.prodigy.storage.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Binds the arguments of a query built from a filter: strings, numbers and instants, in order. */
final class Params {

    private Params() {}

    static int bind(PreparedStatement ps, List<?> args) throws SQLException {
        return bind(ps, args, 1);
    }

    static int bind(PreparedStatement ps, List<?> args, int from) throws SQLException {
        int i = from;
        for (Object arg : args) {
            if (arg instanceof Instant at) {
                Db.bindInstant(ps, i, at);
            } else if (arg instanceof java.sql.Array array) {
                ps.setArray(i, array);
            } else {
                ps.setObject(i, arg);
            }
            i++;
        }
        return i;
    }
}
