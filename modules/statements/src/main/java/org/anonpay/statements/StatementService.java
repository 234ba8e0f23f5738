// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.anonpay.db.DatabaseService;
import org.jpos.q2.QBeanSupport;

/**
 * Q2 service (deploy/85_statements.xml): every day at {@code time} in {@code zone} it sends the
 * statements of the previous business date. At start it catches up: when today's time has passed
 * and yesterday's run is missing or not COMPLETE (the host was down, or stopped in the middle), it
 * runs at once; the run sends only what is not sent yet.
 *
 * <pre>
 *   property time            time of day, HH:mm (default 06:00)
 *   property zone            time zone of that time and of "yesterday" (default Asia/Seoul)
 *   property settings        cfg file (default cfg/statements/statements.properties)
 *   property retry-minutes   after a run that stopped on an error (database down), try again after this (default 15)
 * </pre>
 */
public class StatementService extends QBeanSupport {

    private ScheduledExecutorService scheduler;
    private LocalTime time;
    private ZoneId zone;
    private StatementSettings settings;
    private Duration retry;

    @Override
    protected void startService() {
        time = LocalTime.parse(cfg.get("time", "06:00"));
        zone = ZoneId.of(cfg.get("zone", "Asia/Seoul"));
        retry = Duration.ofMinutes(cfg.getLong("retry-minutes", 15));
        settings = StatementSettings.load(Path.of(cfg.get("settings", "cfg/statements/statements.properties")), System.getenv());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "statements");
            t.setDaemon(true);
            return t;
        });
        getLog().info("statements daily at " + time + " " + zone + ": " + settings);
        scheduler.execute(this::catchUp);
    }

    private void catchUp() {
        ZonedDateTime now = ZonedDateTime.now(zone);
        LocalDate due = now.toLocalDate().minusDays(1);
        try {
            boolean complete = new StatementStore(DatabaseService.get().dataSource(), Clock.system(zone))
                    .runState(due).map("COMPLETE"::equals).orElse(false);
            if (!now.toLocalTime().isBefore(time) && !complete) {
                getLog().info("statements of " + due + " not complete: catching up now");
                runOnce(due);
                return;
            }
        } catch (Exception e) {
            getLog().error("statements: cannot check the run of " + due + ": " + e);
            scheduler.schedule(this::catchUp, retry.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        scheduleNext();
    }

    private void scheduleNext() {
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime next = now.toLocalDate().atTime(time).atZone(zone);
        if (!next.isAfter(now)) next = next.plusDays(1);
        LocalDate date = next.toLocalDate().minusDays(1);
        scheduler.schedule(() -> runOnce(date), Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce(LocalDate date) {
        try {
            new StatementJob(DatabaseService.get().dataSource(), settings, Clock.system(zone)).run(date);
            scheduleNext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            getLog().error("statements of " + date + " stopped: " + e + "; again in " + retry.toMinutes() + " min");
            scheduler.schedule(() -> runOnce(date), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void stopService() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
            scheduler = null;
        }
    }
}
