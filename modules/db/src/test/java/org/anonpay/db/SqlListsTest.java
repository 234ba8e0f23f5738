// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The placeholder lists of statements that name many rows: powers of two, and their texts. */
class SqlListsTest {

    @Test
    void aPaddedListRepeatsItsLastValueUpToTheSlots() {
        assertEquals(java.util.List.of(7L), SqlLists.padded(java.util.List.of(7L)));
        assertEquals(java.util.List.of(3L, 1L, 2L, 2L), SqlLists.padded(java.util.List.of(3L, 1L, 2L)));
        assertEquals(java.util.List.of(1L, 2L, 3L, 4L, 5L, 5L, 5L, 5L), SqlLists.padded(java.util.List.of(1L, 2L, 3L, 4L, 5L)));
        assertThrows(IllegalArgumentException.class, () -> SqlLists.padded(java.util.List.of()));
    }

    @Test
    void slotsRoundUpToAPowerOfTwo() {
        assertEquals(1, SqlLists.slots(1));
        assertEquals(2, SqlLists.slots(2));
        assertEquals(4, SqlLists.slots(3));
        assertEquals(4, SqlLists.slots(4));
        assertEquals(8, SqlLists.slots(5));
        assertEquals(8, SqlLists.slots(7));
        assertEquals(8, SqlLists.slots(8));
        assertEquals(16, SqlLists.slots(9));
        assertEquals(1024, SqlLists.slots(1000));
    }

    @Test
    void slotsOfNoValueOrANegativeCountAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SqlLists.slots(0));
        assertThrows(IllegalArgumentException.class, () -> SqlLists.slots(-1));
    }

    @Test
    void placeholdersAreSingleMarksSeparatedByCommas() {
        assertEquals("?", SqlLists.placeholders(1));
        assertEquals("?, ?, ?", SqlLists.placeholders(3));
    }

    @Test
    void rowsAreParenthesizedGroupsOfPlaceholders() {
        assertEquals("(?, ?, ?), (?, ?, ?)", SqlLists.rows(2, 3));
        assertEquals("(?, ?)", SqlLists.rows(1, 2));
        assertEquals("?, ?", SqlLists.rows(2, 1), "one column: no parentheses, as placeholders");
    }
}
