// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementFormatterTest {

    @Test
    void amountsHaveTheirCurrencysFractionDigits() {
        assertEquals("15,000", StatementFormatter.amount(15_000, "KRW"));
        assertEquals("12.50", StatementFormatter.amount(1_250, "USD"));
        assertEquals("1,000", StatementFormatter.amount(1_000, "JPY"));
        assertEquals("1.234", StatementFormatter.amount(1_234, "KWD"));
    }

    private static Statement statement(int entries, String... currencies) {
        List<StatementEntry> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            list.add(new StatementEntry(i, LocalDateTime.of(2026, 11, 23, 10, i), "PURCHASE", "<b>Shop & Co</b>", "941000******0013",
                    123_456_789L, currencies[i % currencies.length], false));
        }
        return new Statement(1, 1, "hong1234", "홍길동", "hong@example.kr", "010-1234-5678", Statement.Channel.SMS,
                LocalDate.of(2026, 11, 23), list);
    }

    @Test
    void smsIsOneKoreanUcs2OrOneGsm7Message() {
        StatementFormatter f = new StatementFormatter("https://wallet.anonpay.kr/");
        String ko = f.sms(statement(3, "KRW"));
        assertTrue(ko.length() <= StatementFormatter.SMS_UCS2_MAX && ko.contains("거래3건"), ko);
        // many currencies: too long for 70 UCS-2 characters, so English GSM 7-bit within 160
        String en = f.sms(statement(5, "KRW", "USD", "JPY", "EUR", "GBP"));
        assertTrue(StatementFormatter.isGsm7(en) && en.length() <= StatementFormatter.SMS_GSM7_MAX, en);
        assertTrue(en.endsWith("https://wallet.anonpay.kr/"), en);
    }

    @Test
    void htmlEscapesMerchantNames() {
        String html = new StatementFormatter("https://wallet.anonpay.kr/").html(statement(1, "KRW"));
        assertTrue(html.contains("&lt;b&gt;Shop &amp; Co&lt;/b&gt;"));
        assertTrue(!html.contains("<b>Shop"));
    }
}
