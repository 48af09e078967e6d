package io.prodigy.storage.cli.output;

import io.prodigy.storage.dashboard.text.Formats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header, rows, columns padded to their widest cell. Numeric columns may be right-aligned.
 * Nothing fancy on purpose: the output is read by people and grep alike.
 */
public final class Table {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers;
        this.rightAligned = new boolean[headers.size()];
    }

    public static Table of(String... headers) {
        return new Table(List.of(headers));
    }

    /** Right-aligns the columns with these indexes (numbers read better that way). */
    public Table alignRight(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : Formats.printable(String.valueOf(c))).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        out.println(format(headers, widths));
        for (List<String> row : rows) {
            out.println(format(row, widths));
        }
        out.flush();
    }

    private String format(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            boolean last = c == cells.size() - 1;
            String pad = " ".repeat(widths[c] - cell.length());
            if (rightAligned[c]) {
                sb.append(pad).append(cell);
            } else {
                sb.append(cell);
                if (!last) {
                    sb.append(pad);
                }
            }
            if (!last) {
                sb.append("  ");
            }
        }
        return sb.toString().stripTrailing();
    }
}
