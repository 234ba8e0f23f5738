// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements of one business date (patent b12, claim 10): a statement row for every member
 * with entries that day, then each PENDING row claimed, sent by the member's channel and marked
 * SENT, each step its own committed transaction. Failed sends are retried with a doubling backoff,
 * then the statement is FAILED and an error line reports it. Running it again for the same date
 * (after a crash, or twice by mistake) sends only what is not SENT or FAILED. See README.md.
 */
public final class StatementJob {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.statements");

    /** Test hooks around the two writes that bracket a send; production uses {@link #NONE}. */
    interface Hooks {
        default void afterSend(long statementId) {}
        default void afterMarkSent(long statementId) {}
    }

    static final Hooks NONE = new Hooks() {};

    /** What a run did: members of the date and how many of them ended SENT or FAILED, now and in total. */
    public record Result(LocalDate date, int total, int sentNow, int failedNow, StatementStore.Counts counts) {}

    private final StatementStore store;
    private final StatementSettings settings;
    private final Map<Statement.Channel, StatementSender> senders;
    private final Clock clock;
    private final Hooks hooks;

    public StatementJob(DataSource dataSource, StatementSettings settings, Clock clock) {
        this(new StatementStore(dataSource, clock), settings, senders(settings), clock, NONE);
    }

    StatementJob(StatementStore store, StatementSettings settings, Map<Statement.Channel, StatementSender> senders, Clock clock, Hooks hooks) {
        this.store = store;
        this.settings = settings;
        this.senders = senders;
        this.clock = clock;
        this.hooks = hooks;
    }

    static Map<Statement.Channel, StatementSender> senders(StatementSettings settings) {
        Map<Statement.Channel, StatementSender> m = new EnumMap<>(Statement.Channel.class);
        m.put(Statement.Channel.EMAIL, new MailStatementSender(settings));
        m.put(Statement.Channel.SMS, new SmsStatementSender(settings));
        return m;
    }

    /** The business date whose statements are due now: yesterday in Asia/Seoul. */
    public static LocalDate yesterday(Clock clock) {
        return LocalDate.now(clock.withZone(StatementStore.KOREA)).minusDays(1);
    }

    public StatementStore store() {
        return store;
    }

    public Result run(LocalDate date) throws SQLException, InterruptedException {
        try {
            return doRun(date);
        } finally {
            senders.values().forEach(StatementSender::close);
        }
    }

    private Result doRun(LocalDate date) throws SQLException, InterruptedException {
        int total = store.prepareRun(date);
        for (StatementStore.Row r : store.releaseStale(date, clock.instant().minus(settings.staleSending()))) {
            LOG.warn("statements {}: member {} was SENDING since {} when a run stopped: sending again (it may have arrived once already)",
                    date, r.memberRef(), r.claimedAt());
        }
        StatementStore.Counts before = store.counts(date);
        LOG.info("statements {}: {} members, {} already sent, {} failed earlier, {} to send", date, total, before.sent(),
                before.failed(), before.pending());
        int done = before.done();
        int sentNow = 0, failedNow = 0;
        for (StatementStore.Row row : store.rows(date, StatementStore.State.PENDING)) {
            switch (sendWithRetries(row)) {
                case SENT -> { sentNow++; done++; }
                case FAILED -> { failedNow++; done++; }
                default -> { }   // another job has it
            }
            if (done % settings.progressEvery() == 0) LOG.info("statements {}: {} / {} members done", date, done, total);
            if (settings.pauseBetween().isPositive()) Thread.sleep(settings.pauseBetween().toMillis());
        }
        StatementStore.Counts after = store.counts(date);
        store.completeRunIfDone(date);
        LOG.info("statements {}: {} / {} members done ({} sent now, {} failed now; in all {} sent, {} failed, {} sending elsewhere)",
                date, after.done(), after.total(), sentNow, failedNow, after.sent(), after.failed(), after.sending() + after.pending());
        if (after.failed() > 0) {
            LOG.error("statements {}: {} statement(s) FAILED after {} attempts: see table statement (state FAILED, last_error);"
                    + " re-send them with statement --date {} --retry-failed", date, after.failed(), settings.maxAttempts(), date);
        }
        return new Result(date, after.total(), sentNow, failedNow, after);
    }

    private StatementStore.State sendWithRetries(StatementStore.Row row) throws SQLException, InterruptedException {
        Duration wait = settings.backoff();
        for (int attempt = row.attempts() + 1; ; attempt++) {
            if (!store.claim(row.id())) return StatementStore.State.PENDING;
            Statement s = store.load(row.id());
            String ref;
            try {
                ref = senders.get(s.channel()).send(s);
            } catch (Exception e) {
                String error = s.channel() + " attempt " + attempt + ": " + e;
                if (attempt >= settings.maxAttempts()) {
                    store.markFailed(row.id(), error);
                    LOG.error("statements {}: statement to member {} by {} FAILED after {} attempts: {}", s.businessDate(),
                            s.memberRef(), s.channel(), attempt, e.toString());
                    return StatementStore.State.FAILED;
                }
                store.markRetry(row.id(), error);
                LOG.warn("statements {}: {} to member {} failed (attempt {} of {}), again in {} ms: {}", s.businessDate(),
                        s.channel(), s.memberRef(), attempt, settings.maxAttempts(), wait.toMillis(), e.toString());
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
                continue;
            }
            hooks.afterSend(row.id());
            store.markSent(row.id(), s.entries().size(), ref);
            hooks.afterMarkSent(row.id());
            return StatementStore.State.SENT;
        }
    }
}
