// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Field 54 (additional amounts, an..120): up to six 20-character entries
 * <pre>
 *   account type (2) "00" default account
 *   amount type  (2) "01" ledger balance, "02" available balance
 *   currency     (3) ISO 4217 numeric
 *   sign         (1) 'C' credit (zero or positive balance), 'D' debit (negative)
 *   amount      (12) minor units, zero-filled
 * </pre>
 * anonpay answers balance inquiries (and approved purchases) with the card's ledger and available balance.
 */
public record AdditionalAmounts(List<Entry> entries) {
    public static final String ACCOUNT_DEFAULT = "00";
    public static final String AMOUNT_LEDGER_BALANCE = "01";
    public static final String AMOUNT_AVAILABLE_BALANCE = "02";
    public static final int ENTRY_LENGTH = 20;
    public static final int MAX_ENTRIES = 6;
    private static final long MAX_AMOUNT_MINOR = 999_999_999_999L;

    public AdditionalAmounts {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("field 54 holds 1 to " + MAX_ENTRIES + " entries");
        }
    }

    /** One balance entry; a negative {@code amountMinor} is sent with sign 'D'. */
    public record Entry(String accountType, String amountType, String currency, long amountMinor) {
        public Entry {
            requireDigits("account type", accountType, 2);
            requireDigits("amount type", amountType, 2);
            requireDigits("currency", currency, 3);
            if (Math.abs(amountMinor) > MAX_AMOUNT_MINOR) {
                throw new IllegalArgumentException("amount does not fit 12 digits");
            }
        }

        public String format() {
            char sign = amountMinor < 0 ? 'D' : 'C';
            return accountType + amountType + currency + sign + String.format("%012d", Math.abs(amountMinor));
        }

        static Optional<Entry> parse(String text) {
            assert text.length() == ENTRY_LENGTH : "an entry is 20 characters";
            char sign = text.charAt(7);
            String digits = text.substring(8);
            if ((sign != 'C' && sign != 'D') || !Digits.only(text.substring(0, 7)) || !Digits.only(digits)) {
                return Optional.empty();
            }
            long magnitudeMinor = Long.parseLong(digits);
            return Optional.of(new Entry(text.substring(0, 2), text.substring(2, 4), text.substring(4, 7),
                    sign == 'D' ? -magnitudeMinor : magnitudeMinor));
        }
    }

    public static AdditionalAmounts of(Entry... entries) {
        return new AdditionalAmounts(List.of(entries));
    }

    /** Ledger and available balance of the default account, the usual balance answer. */
    public static AdditionalAmounts balances(String currency, long ledgerMinor, long availableMinor) {
        return of(new Entry(ACCOUNT_DEFAULT, AMOUNT_LEDGER_BALANCE, currency, ledgerMinor),
                new Entry(ACCOUNT_DEFAULT, AMOUNT_AVAILABLE_BALANCE, currency, availableMinor));
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(e.format()));
        return sb.toString();
    }

    /** Empty when the text is not a whole number of valid 20-character entries. */
    public static Optional<AdditionalAmounts> parse(String field54) {
        if (field54 == null || field54.isEmpty() || field54.length() % ENTRY_LENGTH != 0
                || field54.length() > ENTRY_LENGTH * MAX_ENTRIES) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (int start = 0; start < field54.length(); start += ENTRY_LENGTH) {
            Optional<Entry> entry = Entry.parse(field54.substring(start, start + ENTRY_LENGTH));
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            entries.add(entry.get());
        }
        return Optional.of(new AdditionalAmounts(entries));
    }

    /** The first entry of the given amount type ("01" ledger, "02" available). */
    public Optional<Entry> find(String amountType) {
        return entries.stream().filter(e -> e.amountType().equals(amountType)).findFirst();
    }

    public Optional<Long> availableBalanceMinor() {
        return find(AMOUNT_AVAILABLE_BALANCE).map(Entry::amountMinor);
    }

    public Optional<Long> ledgerBalanceMinor() {
        return find(AMOUNT_LEDGER_BALANCE).map(Entry::amountMinor);
    }

    private static void requireDigits(String what, String value, int length) {
        if (value == null || value.length() != length || !Digits.only(value)) {
            throw new IllegalArgumentException(what + " must be " + length + " digits");
        }
    }

}
