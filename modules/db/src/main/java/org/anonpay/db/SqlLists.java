// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * Placeholder lists for statements that name many rows at once ({@code id IN (?, ?, …)}, multi-row
 * {@code VALUES}). The connection pool caches a prepared statement per SQL text, so the length of an
 * IN list is rounded up to a power of two ({@link #slots}) and the spare places repeat the last
 * value: a group of 5 and one of 7 share the text for 8, and a few texts serve every group size.
 * A multi-row VALUES list cannot be padded (a repeated row is a duplicate insert): it has one text
 * per row count.
 */
public final class SqlLists {
    private SqlLists() {}

    /** The number of places for {@code count} values: the next power of two, at least 1. */
    public static int slots(int count) {
        if (count < 1) throw new IllegalArgumentException("a list of at least one value: " + count);
        return count == 1 ? 1 : Integer.highestOneBit(count - 1) << 1;
    }

    /**
     * What a padded list binds: {@code values} in their order, then the last of them repeated up to
     * {@link #slots} places (a repeated value in an IN list or an OR of conditions selects nothing more).
     */
    public static <T> List<T> padded(Collection<T> values) {
        List<T> places = new ArrayList<>(slots(values.size()));
        places.addAll(values);
        T last = places.getLast();
        while (places.size() < slots(values.size())) places.add(last);
        return places;
    }

    /** {@code "?, ?, ?"}: {@code count} single placeholders. */
    public static String placeholders(int count) {
        return rows(count, 1);
    }

    /** {@code "(?, ?), (?, ?)"}: {@code count} rows of {@code columns} placeholders each. */
    public static String rows(int count, int columns) {
        if (count < 1 || columns < 1) throw new IllegalArgumentException("at least one row of one column: " + count + " x " + columns);
        StringJoiner row = new StringJoiner(", ", columns == 1 ? "" : "(", columns == 1 ? "" : ")");
        for (int i = 0; i < columns; i++) row.add("?");
        StringJoiner all = new StringJoiner(", ");
        String one = row.toString();
        for (int i = 0; i < count; i++) all.add(one);
        return all.toString();
    }
}
