package io.prodigy.storage.postgres;

import io.prodigy.storage.id.JobRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code (repo, job)} rows as {@link JobRef}s. */
final class Jobs {

    private Jobs() {}

    static List<JobRef> read(PreparedStatement ps) throws SQLException {
        List<JobRef> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(JobRef.of(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }
}
