// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

/** The parts of top-ups that need no server: load message keys, the bank simulator, the funding cipher, the bank list. */
class TopupPartsTest {

    private static final Path ROOT = Path.of(System.getProperty("anonpay.root", "../.."));

    @Test
    void everyTopUpHasItsOwnLoadKeyAndTheSameTopUpAlwaysTheSame() {
        Set<String> keys = new HashSet<>();
        for (long id : new long[] {1, 2, 999_999, 1_000_000, 1_000_001, 2_000_000, 86_400_000_000L, 31_535_999_999_999L}) {
            assertTrue(keys.add(TopupLoads.stan(id) + "/" + TopupLoads.transmissionTime(id)), "key of " + id);
            assertEquals(TopupLoads.stan(id), TopupLoads.stan(id));
            assertTrue(TopupLoads.stan(id).matches("\\d{6}"));
            assertTrue(TopupLoads.transmissionTime(id).matches("\\d{10}"));
        }
        assertEquals("000001", TopupLoads.stan(1_000_001));
        assertNotEquals(TopupLoads.transmissionTime(1), TopupLoads.transmissionTime(1_000_001));
    }

    @Test
    void theLoadIsA0200WithProcessingCode21FromTheWalletTerminal() throws Exception {
        ISOMsg load = TopupLoads.message(42, "9410000000000013", "3012", 50_000, "410");
        assertEquals("0200", load.getMTI());
        assertEquals("21", load.getString(3).substring(0, 2));
        assertEquals(50_000, Long.parseLong(load.getString(4)));
        assertEquals("000042", load.getString(11));
        assertEquals(TopupLoads.transmissionTime(42), load.getString(7));
        assertEquals(TopupLoads.ACQUIRER_ID, load.getString(32));
        assertEquals(TopupLoads.TERMINAL_ID, load.getString(41).trim());
        assertEquals("410", load.getString(49));
    }

    @Test
    void theBankSimulatorFollowsItsRulesAndIsIdempotent() {
        SimulatedBank bank = new SimulatedBank();
        assertEquals(BankTransfers.DebitStatus.INSUFFICIENT_FUNDS, bank.debit("t1", "004", "1234560000", 100, "KRW").status());
        assertEquals(BankTransfers.DebitStatus.REFUSED, bank.debit("t2", "004", "1234561111", 100, "KRW").status());
        assertEquals(BankTransfers.DebitStatus.UNAVAILABLE, bank.debit("t3", "004", "1234569999", 100, "KRW").status());
        BankTransfers.Debit first = bank.debit("t4", "004", "1234567890", 100, "KRW");
        assertTrue(first.debited());
        assertEquals(first, bank.debit("t4", "004", "1234567890", 100, "KRW"), "a repeat answers the first result");
        assertTrue(bank.standing("t4"));
        assertEquals(BankTransfers.RefundStatus.REFUNDED, bank.refund("t4", "004", "1234567890", 100, "KRW"));
        assertEquals(BankTransfers.RefundStatus.REFUNDED, bank.refund("t4", "004", "1234567890", 100, "KRW"));
        assertFalse(bank.standing("t4"));
        assertEquals(BankTransfers.RefundStatus.REFUNDED, bank.refund("never", "004", "1234567890", 100, "KRW"), "nothing to give back is fine");
    }

    @Test
    void fundingNumbersOpenOnlyInTheirMembersRowAndHashStably() {
        FundingCipher cipher = FundingCipher.load(ROOT.resolve("cfg/keys"), Map.of());
        byte[] sealed = cipher.encrypt("4111111111111111", 7, FundingKind.CREDIT_CARD);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("4111111111111111"));
        assertEquals("4111111111111111", cipher.decrypt(sealed, 7, FundingKind.CREDIT_CARD));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, 8, FundingKind.CREDIT_CARD));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, 7, FundingKind.BANK_ACCOUNT));
        assertArrayEquals(cipher.lookupHash(FundingKind.CREDIT_CARD, "4111111111111111"), cipher.lookupHash(FundingKind.CREDIT_CARD, "4111111111111111"));
        assertFalse(java.util.Arrays.equals(cipher.lookupHash(FundingKind.CREDIT_CARD, "1234567890"),
                cipher.lookupHash(FundingKind.BANK_ACCOUNT, "1234567890")));
        assertEquals(32, cipher.lookupHash(FundingKind.BANK_ACCOUNT, "004:1234567890").length);
    }

    @Test
    void theBankListHasTheMajorKoreanBanks() {
        Banks banks = Banks.load(ROOT.resolve("cfg/web/banks.properties"));
        for (String code : new String[] {"004", "088", "020", "081", "011", "003", "090"}) assertTrue(banks.byCode(code).isPresent(), code);
        assertEquals("신한은행", banks.byCode("088").orElseThrow().nameKo());
        assertEquals("Kakao Bank", banks.byCode("090").orElseThrow().nameEn());
        assertTrue(banks.byCode("999").isEmpty());
    }
}
