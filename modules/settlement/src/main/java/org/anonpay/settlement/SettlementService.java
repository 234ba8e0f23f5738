// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.anonpay.authz.AuthorizationRetention;
import org.anonpay.db.DatabaseService;
import org.anonpay.ledger.Ledger;
import org.jpos.q2.QBeanSupport;

/**
 * Q2 service (deploy/88_settlement.xml): every day at {@code run-at} in {@code zone} it settles the
 * previous business date (the business date of that moment, minus one), reconciles it and logs
 * every break, then expires the authorizations older than {@code expiry.days}.
 *
 * <pre>
 *   property config    settlement settings (default cfg/settlement/settlement.properties)
 *   property run-at    HH:mm, local time of the daily run (default 01:00); keep it after the cut-over
 *   property zone      time zone of run-at (default: business.zone of the settings)
 *   property expire    also expire old authorizations (default true)
 *   property purge     also purge what authorization needs only for a while (default true):
 *   property key-claims-days     key claims of messages older than this many days (default 3)
 *   property day-spending-days   days' spending of business dates older than this (default 7)
 * </pre>
 * (org.anonpay.authz.AuthorizationRetention says why each may go.)
 * A run missed while the host was down is not caught up by itself: {@code anonpay-ops settle
 * --date D} does it (and a run that already happened moves nothing twice).
 */
public class SettlementService extends QBeanSupport {

    private ScheduledExecutorService scheduler;
    private SettlementConfig config;
    private LocalTime runAt;
    private ZoneId zone;
    private boolean expire;
    private boolean purge;
    private int keyClaimsDays;
    private int daySpendingDays;

    @Override
    protected void startService() {
        config = SettlementConfig.load(Path.of(cfg.get("config", SettlementConfig.DEFAULT_FILE.toString())));
        runAt = LocalTime.parse(cfg.get("run-at", "01:00"));
        zone = ZoneId.of(cfg.get("zone", config.zone().getId()));
        expire = cfg.getBoolean("expire", true);
        purge = cfg.getBoolean("purge", true);
        keyClaimsDays = atLeastOneDay("key-claims-days", AuthorizationRetention.DEFAULT_KEY_CLAIMS_DAYS);
        daySpendingDays = atLeastOneDay("day-spending-days", AuthorizationRetention.DEFAULT_DAY_SPENDING_DAYS);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "settlement");
            t.setDaemon(true);
            return t;
        });
        scheduleNext();
        getLog().info("settlement: daily at " + runAt + " " + zone + ", files in " + config.outputDir().toAbsolutePath()
                + ", cut-over " + config.cutover() + " " + config.zone() + ", expiry after " + config.expiryDays() + " days"
                + (purge ? ", purge of key claims after " + keyClaimsDays + " days and days' spending after " + daySpendingDays + " days" : ", no purge"));
    }

    private int atLeastOneDay(String property, int byDefault) {
        int days = cfg.getInt(property, byDefault);
        if (days < 1) throw new IllegalArgumentException(property + " must be at least 1: " + days);
        return days;
    }

    /** Milliseconds from {@code now} to the next {@code runAt} in {@code zone}. */
    static long delayMillis(Instant now, LocalTime runAt, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime next = local.with(runAt);
        if (!next.isAfter(local)) next = local.toLocalDate().plusDays(1).atTime(runAt).atZone(zone);
        return Duration.between(local, next).toMillis();
    }

    private void scheduleNext() {
        long delay = delayMillis(Instant.now(), runAt, zone);
        scheduler.schedule(this::runOnce, delay, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            LocalDate date = config.businessDateOf(Instant.now()).minusDays(1);
            runFor(date);
        } catch (RuntimeException e) {
            getLog().error("settlement failed: " + e);
        } finally {
            if (scheduler != null && !scheduler.isShutdown()) scheduleNext();
        }
    }

    /** Settles and reconciles {@code date}, then expires old authorizations and purges what authorization no longer needs. */
    public void runFor(LocalDate date) {
        var db = DatabaseService.get();
        Ledger ledger = new Ledger();
        Settlement.Report report = new Settlement(db, ledger, config, line -> getLog().info(line)).run(date);
        getLog().info("settled " + date + ": " + report.created() + " merchants now, " + report.existing() + " before");
        List<Break> breaks = new Reconciliation(db, ledger, config).run(date);
        if (breaks.isEmpty()) getLog().info("reconciled " + date + ": 0 breaks");
        else getLog().warn("reconciled " + date + ": " + breaks.size() + " breaks\n" + String.join("\n", breaks.stream().map(Break::toString).toList()));
        if (expire) {
            AuthorizationExpiry.Report expired = new AuthorizationExpiry(db, ledger, line -> getLog().info(line)).run(config.expiryDays(), Instant.now());
            getLog().info("expired " + expired.expired() + " authorizations");
        }
        if (purge) {
            Instant now = Instant.now();
            AuthorizationRetention.Purged purged = new AuthorizationRetention(db, AuthorizationRetention.DEFAULT_CHUNK_ROWS, line -> getLog().info(line))
                    .runKeeping(keyClaimsDays, daySpendingDays, now, config.businessDateOf(now));
            getLog().info("purged " + purged.keyClaims() + " key claims, " + purged.daySpendingRows() + " days' spending rows");
        }
    }

    @Override
    protected void stopService() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
