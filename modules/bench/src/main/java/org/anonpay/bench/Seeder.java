// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.anonpay.authz.LedgerAccounts;
import org.anonpay.db.Database;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.CardProgram;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.issuer.CardSecurity;
import org.anonpay.issuer.CardVault;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import org.anonpay.ledger.AccountKind;
import org.anonpay.ledger.Ledger;
import org.anonpay.ledger.Transfer;
import org.anonpay.ledger.TransferCode;
import org.anonpay.ledger.TransferId;
import org.anonpay.ledger.TransferResult;

/**
 * Loads the card population straight into the host's database through the issuer and ledger
 * APIs (the same code the host runs, with the host's keys and programs): cards with known numbers
 * ({@link BenchCards}), each funded to its program's maximum balance by a LOAD transfer from the
 * operator's funding clearing account, in batches of one transaction each; and the merchants'
 * payable accounts, as the host would open them on their first payment.
 */
final class Seeder {
    static final String PROGRAM = "KRW-PREPAID";
    private static final String CARD_NAME = "BENCH";
    private static final String PIN = "1234";
    private static final int BATCH = 500;
    private static final int PROGRESS_STEPS = 10;

    /** What was seeded, per card index: its ledger account and its funding. */
    record Population(long[] accountIds, long[] funding, String currency) {}

    private final Database db;
    private final Path workDir;
    private final PrintStream out;

    Seeder(Database db, Path workDir, PrintStream out) {
        this.db = db;
        this.workDir = workDir;
        this.out = out;
    }

    Population seed(Workload workload, int threads) throws Exception {
        CardPrograms programs = CardPrograms.load(workDir.resolve("cfg/programs"));
        CardProgram program = programs.byId(PROGRAM).orElseThrow(() -> new IllegalStateException("no program " + PROGRAM + " in cfg/programs"));
        Path keys = workDir.resolve("cfg/keys");
        Ledger ledger = new Ledger();
        CardIssuer issuer = new CardIssuer(programs, new CardSecurity(keys), CardVault.load(keys, System.getenv()), ledger);
        LedgerAccounts accounts = new LedgerAccounts(() -> db, ledger);
        long fundingAccount = accounts.operator(AccountKind.FUNDING_CLEARING, program.currencyCode());
        openMerchants(accounts, workload.merchants(), program.currencyCode());
        long[] accountIds = new long[workload.cards()];
        long[] funding = new long[workload.cards()];
        java.util.Arrays.fill(funding, program.maxBalance());
        YearMonth expiry = expiryOf(workload.expiryYymm());
        issueAll(new Batcher(issuer, ledger, fundingAccount, program.maxBalance(), expiry, accountIds), workload.cards(), threads);
        return new Population(accountIds, funding, program.currencyCode());
    }

    private void openMerchants(LedgerAccounts accounts, int merchants, String currency) {
        for (int m = 0; m < merchants; m++) accounts.merchant(Workload.ACQUIRER_ID, Workload.merchantId(m), currency);
        out.printf("seed: %d merchant accounts open%n", merchants);
    }

    private void issueAll(Batcher batcher, int cards, int threads) throws Exception {
        long started = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(BATCH, cards / PROGRESS_STEPS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < cards; from += BATCH) {
                int lo = from;
                int hi = Math.min(cards, from + BATCH);
                batches.add(pool.submit(() -> {
                    db.inTransaction(session -> batcher.issue(session, lo, hi));
                    progress(done.addAndGet(hi - lo), hi - lo, step, cards, started);
                    return null;
                }));
            }
            for (Future<?> f : batches) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private void progress(int done, int justDone, int step, int cards, long started) {
        if (done / step == (done - justDone) / step && done != cards) return;
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("seed: %,d/%,d cards issued and funded (%.0f cards/s)%n", done, cards, done / seconds);
    }

    static YearMonth expiryOf(String yymm) {
        return YearMonth.of(2000 + Integer.parseInt(yymm.substring(0, 2)), Integer.parseInt(yymm.substring(2)));
    }

    static String yymm(YearMonth month) {
        return String.format("%02d%02d", month.getYear() % 100, month.getMonthValue());
    }

    /** Issues and funds one batch of cards in the caller's transaction. */
    private record Batcher(CardIssuer issuer, Ledger ledger, long fundingAccount, long amount, YearMonth expiry, long[] accountIds) {
        Void issue(org.hibernate.Session session, int from, int to) {
            List<Transfer> loads = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                String pan = BenchCards.pan(i);
                IssueResult r = issuer.issue(session, IssueRequest.of(PROGRAM, CARD_NAME, PIN.toCharArray(), null).withRequestedCard(pan, expiry));
                if (!r.issued()) throw new IllegalStateException("card " + BenchCards.masked(pan) + " not issued: " + r.status());
                accountIds[i] = r.ledgerAccountId();
                loads.add(Transfer.singlePhase(TransferId.derive("bench-load", Integer.toString(i)), fundingAccount,
                        r.ledgerAccountId(), amount, TransferCode.LOAD, "bench funding"));
            }
            List<TransferResult> results = session.doReturningWork(c -> ledger.createTransfers(c, loads));
            results.stream().filter(r -> !r.ok()).findFirst().ifPresent(r -> {
                throw new IllegalStateException("funding refused: " + r);
            });
            return null;
        }
    }
}
