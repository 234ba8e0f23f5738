// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The words of a statement: the mail's plain-text and HTML parts (Korean, then English, in the
 * same message) and the SMS (a short summary and the wallet's address within one SMS). Amounts
 * are formatted with their currency's fraction digits; cards only ever appear masked.
 */
public final class StatementFormatter {

    /** One SMS: 70 UCS-2 characters (Korean) or 160 GSM 7-bit characters. */
    public static final int SMS_UCS2_MAX = 70;
    public static final int SMS_GSM7_MAX = 160;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_SHORT = DateTimeFormatter.ofPattern("MM/dd");

    private final String walletUrl;

    public StatementFormatter(String walletUrl) {
        this.walletUrl = walletUrl;
    }

    public String subject(Statement s) {
        return "[anonpay] " + s.businessDate() + " 거래 내역 / Statement";
    }

    /** "15,000" for KRW 15000, "12.50" for USD 1250: the currency's fraction digits. */
    public static String amount(long minor, String currency) {
        int digits = fractionDigits(currency);
        BigDecimal value = BigDecimal.valueOf(minor, digits);
        DecimalFormat f = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits), DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(value);
    }

    private static int fractionDigits(String currency) {
        try {
            int d = Currency.getInstance(currency).getDefaultFractionDigits();
            return d < 0 ? 0 : d;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Korean: "15,000원" for KRW, "USD 12.50" for others. */
    static String amountKo(long minor, String currency) {
        return "KRW".equals(currency) ? amount(minor, currency) + "원" : currency + " " + amount(minor, currency);
    }

    static String amountEn(long minor, String currency) {
        return currency + " " + amount(minor, currency);
    }

    static String typeKo(StatementEntry e) {
        return switch (e.type()) {
            case "PURCHASE", "AUTHORIZATION_ADVICE" -> "결제";
            case "COMPLETION" -> "결제(승인 완료)";
            case "REFUND" -> "환불";
            case "LOAD" -> "충전";
            case "REVERSAL" -> "취소";
            default -> e.type();
        };
    }

    static String typeEn(StatementEntry e) {
        return switch (e.type()) {
            case "PURCHASE", "AUTHORIZATION_ADVICE" -> "Purchase";
            case "COMPLETION" -> "Purchase (completion)";
            case "REFUND" -> "Refund";
            case "LOAD" -> "Top-up";
            case "REVERSAL" -> "Cancellation";
            default -> e.type();
        };
    }

    private static String signed(StatementEntry e, boolean korean) {
        String a = korean ? amountKo(e.amount(), e.currency()) : amountEn(e.amount(), e.currency());
        return (e.credit() ? "+" : "-") + a;
    }

    /** Per currency: [money out, money in]. */
    static Map<String, long[]> totals(Statement s) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (StatementEntry e : s.entries()) {
            long[] t = totals.computeIfAbsent(e.currency(), k -> new long[2]);
            t[e.credit() ? 1 : 0] += e.amount();
        }
        return totals;
    }

    public String text(Statement s) {
        StringBuilder b = new StringBuilder();
        b.append(s.name()).append(" 님, ").append(s.businessDate()).append(" 거래 내역입니다 (").append(s.entries().size()).append("건).\n\n");
        for (StatementEntry e : s.entries()) {
            b.append(TIME.format(e.time())).append("  ").append(typeKo(e)).append("  ").append(e.merchant())
                    .append("  ").append(e.panMasked()).append("  ").append(signed(e, true)).append('\n');
        }
        totals(s).forEach((cur, t) -> b.append("\n합계 ").append(cur).append(": 출금 ").append(amountKo(t[0], cur))
                .append(", 입금 ").append(amountKo(t[1], cur)));
        b.append("\n\n지갑에서 자세히 보기: ").append(walletUrl).append("\n");
        b.append("\n----------------------------------------\n\n");
        b.append("Dear ").append(s.memberId()).append(", your transactions on ").append(s.businessDate())
                .append(" (").append(s.entries().size()).append(").\n\n");
        for (StatementEntry e : s.entries()) {
            b.append(TIME.format(e.time())).append("  ").append(typeEn(e)).append("  ").append(e.merchant())
                    .append("  ").append(e.panMasked()).append("  ").append(signed(e, false)).append('\n');
        }
        totals(s).forEach((cur, t) -> b.append("\nTotal ").append(cur).append(": out ").append(amountEn(t[0], cur))
                .append(", in ").append(amountEn(t[1], cur)));
        b.append("\n\nDetails in your wallet: ").append(walletUrl).append("\n");
        return b.toString();
    }

    public String html(Statement s) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(subject(s))).append("</title></head><body style=\"font-family:sans-serif\">");
        section(b, s, true);
        b.append("<hr>");
        section(b, s, false);
        return b.append("</body></html>").toString();
    }

    private void section(StringBuilder b, Statement s, boolean ko) {
        b.append("<section lang=\"").append(ko ? "ko" : "en").append("\"><p>");
        if (ko) {
            b.append(esc(s.name())).append(" 님, ").append(s.businessDate()).append(" 거래 내역입니다 (").append(s.entries().size()).append("건).");
        } else {
            b.append("Dear ").append(esc(s.memberId())).append(", your transactions on ").append(s.businessDate())
                    .append(" (").append(s.entries().size()).append(").");
        }
        b.append("</p><table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr>");
        for (String h : ko ? new String[] {"시각", "구분", "가맹점", "카드", "금액"} : new String[] {"Time", "Type", "Merchant", "Card", "Amount"}) {
            b.append("<th>").append(h).append("</th>");
        }
        b.append("</tr>");
        for (StatementEntry e : s.entries()) {
            b.append("<tr><td>").append(TIME.format(e.time())).append("</td><td>").append(esc(ko ? typeKo(e) : typeEn(e)))
                    .append("</td><td>").append(esc(e.merchant())).append("</td><td>").append(esc(e.panMasked()))
                    .append("</td><td style=\"text-align:right\">").append(esc(signed(e, ko))).append("</td></tr>");
        }
        b.append("</table>");
        totals(s).forEach((cur, t) -> b.append("<p>").append(ko
                ? "합계 " + cur + ": 출금 " + esc(amountKo(t[0], cur)) + ", 입금 " + esc(amountKo(t[1], cur))
                : "Total " + cur + ": out " + esc(amountEn(t[0], cur)) + ", in " + esc(amountEn(t[1], cur))).append("</p>"));
        b.append("<p><a href=\"").append(esc(walletUrl)).append("\">").append(ko ? "지갑에서 자세히 보기" : "Details in your wallet")
                .append("</a></p></section>");
    }

    /**
     * The SMS: Korean within 70 UCS-2 characters when it fits, else English in GSM 7-bit within
     * 160; the amounts are dropped before the wallet's address would be.
     */
    public String sms(Statement s) {
        String day = DAY_SHORT.format(s.businessDate());
        int n = s.entries().size();
        StringBuilder money = new StringBuilder();
        totals(s).forEach((cur, t) -> money.append(" 출금").append(amountKo(t[0], cur)).append(t[1] > 0 ? " 입금" + amountKo(t[1], cur) : ""));
        String ko = "[anonpay] " + day + " 거래" + n + "건" + money + " " + walletUrl;
        if (ko.length() <= SMS_UCS2_MAX) return ko;
        StringBuilder en = new StringBuilder("anonpay " + day + ": " + n + " transaction" + (n == 1 ? "" : "s"));
        totals(s).forEach((cur, t) -> en.append(", out ").append(amountEn(t[0], cur)).append(t[1] > 0 ? " in " + amountEn(t[1], cur) : ""));
        String full = en + ". Details: " + walletUrl;
        if (full.length() <= SMS_GSM7_MAX && isGsm7(full)) return full;
        String shortText = "anonpay " + day + ": " + n + " transactions. Details: " + walletUrl;
        if (shortText.length() <= SMS_GSM7_MAX && isGsm7(shortText)) return shortText;
        throw new IllegalStateException("wallet.url is too long for one SMS: " + walletUrl);
    }

    /** Characters of the GSM 03.38 basic set that this text uses (letters, digits, common punctuation). */
    public static boolean isGsm7(String text) {
        String basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        return text.chars().allMatch(ch -> basic.indexOf(ch) >= 0);
    }

    private static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
