// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardProgramsTest {

    @TempDir
    Path dir;

    @Test
    void theCommittedProgramsLoadInBothCurrencies() {
        CardPrograms programs = CardPrograms.load(TestKeys.programsDir());
        CardProgram krw = programs.byId("KRW-PREPAID").orElseThrow();
        assertEquals("KRW", krw.currencyCode());
        assertEquals("410", krw.currencyNumeric());
        assertEquals(0, krw.fractionDigits());
        assertEquals(new BinRange(94100000, 94109999), krw.binRange());
        assertEquals(16, krw.panLength());
        assertFalse(krw.allowCash());
        assertTrue(krw.name().contains("선불카드"), "the file is read as UTF-8");
        CardProgram usd = programs.byId("USD-PREPAID").orElseThrow();
        assertEquals("840", usd.currencyNumeric());
        assertEquals(2, usd.fractionDigits());
        assertEquals(3, usd.pinTriesMax());
    }

    @Test
    void aCardNumberFindsItsProgramByBinAndLength() {
        CardPrograms programs = CardPrograms.load(TestKeys.programsDir());
        assertEquals("KRW-PREPAID", programs.byPan("9410000000000013").orElseThrow().id());
        assertEquals("KRW-PREPAID", programs.byPan("9410999912345678").orElseThrow().id());
        assertEquals("USD-PREPAID", programs.byPan("9420000012345678").orElseThrow().id());
        assertTrue(programs.byPan("9411000012345678").isEmpty(), "past the KRW range");
        assertTrue(programs.byPan("941000001234567").isEmpty(), "15 digits");
        assertTrue(programs.byPan("4111111111111111").isEmpty());
        assertTrue(programs.byPan(null).isEmpty());
        assertTrue(programs.byId("NOPE").isEmpty());
    }

    @Test
    void overlappingBinRangesAreRefused() throws IOException {
        write("a.properties", program("A-PREPAID", "94100000-94109999", "KRW"));
        write("b.properties", program("B-PREPAID", "94105000-94205000", "USD"));
        var e = assertThrows(IllegalArgumentException.class, () -> CardPrograms.load(dir));
        assertTrue(e.getMessage().contains("overlap") && e.getMessage().contains("A-PREPAID") && e.getMessage().contains("B-PREPAID"), e.getMessage());
    }

    @Test
    void touchingRangesAreFine() throws IOException {
        write("a.properties", program("A-PREPAID", "94100000-94109999", "KRW"));
        write("b.properties", program("B-PREPAID", "94110000-94119999", "KRW"));
        assertEquals(2, CardPrograms.load(dir).all().size());
    }

    @Test
    void duplicateIdsAreRefused() throws IOException {
        write("a.properties", program("A-PREPAID", "94100000-94109999", "KRW"));
        write("b.properties", program("A-PREPAID", "94200000-94209999", "USD"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CardPrograms.load(dir)).getMessage().contains("A-PREPAID"));
    }

    @Test
    void aBadFileIsRefusedNamingTheFileAndTheProblem() throws IOException {
        write("bad.properties", program("A-PREPAID", "94100000-94109999", "WON"));
        assertMessage("bad.properties", "currency");
        write("bad.properties", program("A-PREPAID", "9410-9411", "KRW"));
        assertMessage("bad.properties", "bin.range");
        write("bad.properties", program("A-PREPAID", "94100000-94109999", "KRW") + "limit.dayly=5\n");
        assertMessage("bad.properties", "limit.dayly");
        write("bad.properties", program("A-PREPAID", "94100000-94109999", "KRW").replace("max.balance=2000000\n", ""));
        assertMessage("bad.properties", "max.balance");
        write("bad.properties", program("A-PREPAID", "94100000-94109999", "KRW").replace("allow.cash=false", "allow.cash=yes"));
        assertMessage("bad.properties", "allow.cash");
    }

    @Test
    void anEmptyOrMissingFolderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CardPrograms.load(dir));
        assertThrows(IllegalArgumentException.class, () -> CardPrograms.load(dir.resolve("missing")));
    }

    private void assertMessage(String... parts) {
        String message = assertThrows(IllegalArgumentException.class, () -> CardPrograms.load(dir)).getMessage();
        for (String part : parts) assertTrue(message.contains(part), message);
    }

    void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static String program(String id, String bins, String currency) {
        return "id=" + id + "\nname=test " + id + "\nbin.range=" + bins + "\npan.length=16\ncurrency=" + currency
                + "\nvalidity.months=36\nmax.balance=2000000\nlimit.per.transaction=500000\nlimit.daily=1000000\nallow.cash=false\n";
    }
}
