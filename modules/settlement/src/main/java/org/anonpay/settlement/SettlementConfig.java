// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of cfg/settlement/settlement.properties:
 * <pre>
 *   output.dir             where the settlement files go (default: settlement)
 *   business.zone          time zone of the business day (default: Asia/Seoul)
 *   business.cutover       HH:mm: a transaction at or after it belongs to the next business date
 *                          (default 00:00: the calendar date)
 *   fee.bps                default fee in basis points of the day's net sales (default 0)
 *   fee.bps.MERCHANT-ID    a merchant's own fee (card acceptor id, field 42)
 *   expiry.days            an authorization not completed within this many days expires (default 7)
 * </pre>
 */
public record SettlementConfig(Path outputDir, ZoneId zone, LocalTime cutover, BigDecimal defaultFeeBps,
                               Map<String, BigDecimal> merchantFeeBps, int expiryDays) {

    public static final Path DEFAULT_FILE = Path.of("cfg", "settlement", "settlement.properties");

    public SettlementConfig {
        merchantFeeBps = Map.copyOf(merchantFeeBps);
        if (defaultFeeBps.signum() < 0 || defaultFeeBps.compareTo(BigDecimal.valueOf(10_000)) > 0) {
            throw new IllegalArgumentException("fee.bps must be 0..10000: " + defaultFeeBps);
        }
        merchantFeeBps.forEach((m, bps) -> {
            if (bps.signum() < 0 || bps.compareTo(BigDecimal.valueOf(10_000)) > 0) {
                throw new IllegalArgumentException("fee.bps." + m + " must be 0..10000: " + bps);
            }
        });
        if (expiryDays < 1) throw new IllegalArgumentException("expiry.days must be at least 1: " + expiryDays);
    }

    public static SettlementConfig defaults() {
        return new SettlementConfig(Path.of("settlement"), ZoneId.of("Asia/Seoul"), LocalTime.MIDNIGHT, BigDecimal.ZERO, Map.of(), 7);
    }

    /** Reads {@code file}; a missing file gives the defaults. */
    public static SettlementConfig load(Path file) {
        Properties p = new Properties();
        if (file != null && Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return from(p);
    }

    public static SettlementConfig from(Properties p) {
        Map<String, BigDecimal> overrides = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("fee.bps.")) overrides.put(name.substring("fee.bps.".length()).trim(), new BigDecimal(p.getProperty(name).trim()));
        }
        return new SettlementConfig(Path.of(p.getProperty("output.dir", "settlement").trim()),
                ZoneId.of(p.getProperty("business.zone", "Asia/Seoul").trim()),
                LocalTime.parse(p.getProperty("business.cutover", "00:00").trim()),
                new BigDecimal(p.getProperty("fee.bps", "0").trim()),
                overrides,
                Integer.parseInt(p.getProperty("expiry.days", "7").trim()));
    }

    public SettlementConfig withOutputDir(Path dir) {
        return new SettlementConfig(dir, zone, cutover, defaultFeeBps, merchantFeeBps, expiryDays);
    }

    public SettlementConfig withExpiryDays(int days) {
        return new SettlementConfig(outputDir, zone, cutover, defaultFeeBps, merchantFeeBps, days);
    }

    /** The fee of {@code merchantId} in basis points. */
    public BigDecimal feeBps(String merchantId) {
        return merchantFeeBps.getOrDefault(merchantId, defaultFeeBps);
    }

    /**
     * The first instant of {@code businessDate}: its cut-over on the day before, or midnight of
     * the day itself when the cut-over is 00:00.
     */
    public Instant startOf(LocalDate businessDate) {
        LocalDate day = cutover.equals(LocalTime.MIDNIGHT) ? businessDate : businessDate.minusDays(1);
        return LocalDateTime.of(day, cutover).atZone(zone).toInstant();
    }

    /** The business date of {@code instant}: its calendar date, or the next one from the cut-over on. */
    public LocalDate businessDateOf(Instant instant) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        LocalDate date = local.toLocalDate();
        return !cutover.equals(LocalTime.MIDNIGHT) && !local.toLocalTime().isBefore(cutover) ? date.plusDays(1) : date;
    }
}
