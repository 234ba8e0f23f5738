// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.time.LocalDate;
import java.util.List;

/**
 * One member's statement for one business date: who receives it, by which channel, and the
 * approved money-moving entries of that day on all the member's cards.
 */
public record Statement(long id, long memberRef, String memberId, String name, String email, String mobile,
                        Channel channel, LocalDate businessDate, List<StatementEntry> entries) {

    public enum Channel { EMAIL, SMS }
}
