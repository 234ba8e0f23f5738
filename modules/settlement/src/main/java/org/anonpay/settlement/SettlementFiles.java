// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settlement files of a business date, under {@code <output.dir>/<date>/} (docs/settlement.md):
 * <ul>
 *   <li>{@code <acquirer>-<merchant>-<currency>.csv}: header, one row per journal entry, a TOTAL line;</li>
 *   <li>{@code summary.csv}: one row per merchant and a TOTAL line per currency;</li>
 *   <li>{@code acquirer-<acquirer>.csv}: the VAN/acquirer report of the ISO 8583 path, per merchant
 *       of that acquirer and a TOTAL line per currency.</li>
 * </ul>
 * Amounts are in major units with the currency's decimals (KRW 15000, USD 12.50); a row's sign is
 * the merchant's: + a sale credited to it, − a refund or reversal debited. Each file is written to
 * a temporary file and renamed over the old one, and the same day always gives the same bytes.
 */
public final class SettlementFiles {

    static final String MERCHANT_HEADER = "journal_id,date_time,type,card,amount,rrn,stan,approval_code";
    static final String SUMMARY_HEADER = "acquirer,merchant,currency,count,gross,refunds,fee,net";
    static final String ACQUIRER_HEADER = "merchant,currency,count,gross,refunds,fee,net";
    static final String SUMMARY = "summary.csv";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private SettlementFiles() {}

    public static Path dayDir(Path outputDir, java.time.LocalDate date) {
        return outputDir.resolve(date.toString());
    }

    static String acquirerFileName(String acquirerId) {
        return "acquirer-" + MerchantKey.safe(acquirerId) + ".csv";
    }

    /** Writes every file of the day; returns the paths written. */
    static List<Path> write(Path dir, SettlementDay day, ZoneId zone) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (MerchantTotals t : day.totals().values()) {
            written.add(writeAtomically(dir.resolve(t.merchant().fileName()), merchantFile(day, t, zone)));
        }
        written.add(writeAtomically(dir.resolve(SUMMARY), summary(day.totals().values())));
        Map<String, List<MerchantTotals>> byAcquirer = new TreeMap<>();
        for (MerchantTotals t : day.totals().values()) byAcquirer.computeIfAbsent(t.merchant().acquirerId(), k -> new ArrayList<>()).add(t);
        for (var e : byAcquirer.entrySet()) {
            written.add(writeAtomically(dir.resolve(acquirerFileName(e.getKey())), acquirer(e.getValue())));
        }
        return written;
    }

    static String merchantFile(SettlementDay day, MerchantTotals t, ZoneId zone) {
        String currency = t.merchant().currency();
        StringBuilder b = new StringBuilder(MERCHANT_HEADER).append('\n');
        for (DayEntry e : day.rowsOf(t.merchant())) {
            b.append(e.journalId()).append(',')
                    .append(TIME.format(LocalDateTime.ofInstant(e.createdAt(), zone).truncatedTo(ChronoUnit.SECONDS))).append(',')
                    .append(e.type()).append(',')
                    .append(cell(e.panMasked())).append(',')
                    .append(amount(e.ledgerAmount(), currency)).append(',')
                    .append(cell(e.rrn())).append(',')
                    .append(cell(e.stan())).append(',')
                    .append(cell(e.approvalCode())).append('\n');
        }
        b.append("TOTAL,").append(totals(t)).append('\n');
        return b.toString();
    }

    static String summary(Collection<MerchantTotals> all) {
        StringBuilder b = new StringBuilder(SUMMARY_HEADER).append('\n');
        for (MerchantTotals t : all) {
            b.append(cell(t.merchant().acquirerId())).append(',').append(cell(t.merchant().merchantId())).append(',')
                    .append(t.merchant().currency()).append(',').append(totals(t)).append('\n');
        }
        for (MerchantTotals sum : perCurrency(all)) b.append("TOTAL,,").append(sum.merchant().currency()).append(',').append(totals(sum)).append('\n');
        return b.toString();
    }

    static String acquirer(Collection<MerchantTotals> all) {
        StringBuilder b = new StringBuilder(ACQUIRER_HEADER).append('\n');
        for (MerchantTotals t : all) {
            b.append(cell(t.merchant().merchantId())).append(',').append(t.merchant().currency()).append(',').append(totals(t)).append('\n');
        }
        for (MerchantTotals sum : perCurrency(all)) b.append("TOTAL,").append(sum.merchant().currency()).append(',').append(totals(sum)).append('\n');
        return b.toString();
    }

    /** The sums of {@code all} per currency (merchant key with only the currency). */
    static List<MerchantTotals> perCurrency(Collection<MerchantTotals> all) {
        List<MerchantTotals> sums = new ArrayList<>();
        for (String currency : new TreeSet<>(all.stream().map(t -> t.merchant().currency()).toList())) {
            int count = 0;
            long gross = 0, refunds = 0, fee = 0, net = 0;
            for (MerchantTotals t : all) {
                if (!t.merchant().currency().equals(currency)) continue;
                count += t.count();
                gross += t.gross();
                refunds += t.refunds();
                fee += t.fee();
                net += t.net();
            }
            sums.add(new MerchantTotals(new MerchantKey("", "", currency), count, gross, refunds, fee, net));
        }
        return sums;
    }

    private static String totals(MerchantTotals t) {
        String c = t.merchant().currency();
        return t.count() + "," + amount(t.gross(), c) + "," + amount(t.refunds(), c) + "," + amount(t.fee(), c) + "," + amount(t.net(), c);
    }

    static int digits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    /** Minor units as a decimal in major units: 1250 USD is "12.50", 15000 KRW "15000". */
    static String amount(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(currency)).toPlainString();
    }

    /** A decimal in major units back to minor units; a value with more decimals than the currency has is refused. */
    static long minor(String text, String currency) {
        return new BigDecimal(text.trim()).movePointRight(digits(currency)).longValueExact();
    }

    /** Cells never hold a comma, quote or line break (ids, masked PANs, codes); anything else is replaced. */
    private static String cell(String s) {
        return s == null ? "" : s.strip().replaceAll("[,\"\r\n]", "_");
    }

    private static Path writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
