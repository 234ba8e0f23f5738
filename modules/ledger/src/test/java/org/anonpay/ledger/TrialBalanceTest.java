// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.ledger;

import static org.anonpay.ledger.LedgerFixture.LEDGER;
import static org.anonpay.ledger.LedgerFixture.balance;
import static org.anonpay.ledger.LedgerFixture.newId;
import static org.anonpay.ledger.LedgerFixture.open;
import static org.anonpay.ledger.LedgerFixture.trialBalance;
import static org.anonpay.ledger.LedgerFixture.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.anonpay.db.Database;
import org.anonpay.db.TestMariaDb;
import org.anonpay.ledger.StoredTransfer.PendingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random mix of loads, purchases, holds, posts, voids, refunds, settlements, replays and
 * mistakes, in batches, checked step by step against a model written from the specification; at
 * the end every balance must match the model and the trial balance must balance in each currency.
 */
class TrialBalanceTest {

    private static final long SEED = Long.getLong("anonpay.test.seed", 20_261_123L);
    private static final int STEPS = 500;
    private static Database db;

    @BeforeEach
    void openDatabase() {
        // a database of its own for each run: the trial balance covers every account in it
        db = TestMariaDb.freshDatabase("ledger");
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    /** The accounts of one currency. */
    private record Book(String currency, List<Account> cards, List<Account> merchants, Account funding,
                        Account settlement, Account recovery) {

        static Book open(String currency, int cards, int merchants) {
            List<Account> c = new ArrayList<>();
            List<Account> m = new ArrayList<>();
            for (int i = 0; i < cards; i++) c.add(LedgerFixture.open(db, AccountKind.CARD_PREPAID, currency));
            for (int i = 0; i < merchants; i++) m.add(LedgerFixture.open(db, AccountKind.MERCHANT_PAYABLE, currency));
            return new Book(currency, c, m,
                    LedgerFixture.open(db, AccountKind.FUNDING_CLEARING, currency),
                    LedgerFixture.open(db, AccountKind.SETTLEMENT, currency),
                    LedgerFixture.open(db, AccountKind.RECOVERY, currency));
        }

        List<Account> all() {
            List<Account> all = new ArrayList<>(cards);
            all.addAll(merchants);
            all.addAll(List.of(funding, settlement, recovery));
            return all;
        }
    }

    /** Run with a plain Ledger and with one that caches the accounts it read (as the host's). */
    @ParameterizedTest(name = "caching accounts: {0}")
    @ValueSource(booleans = {false, true})
    void randomMixMatchesTheModelAndTheTrialBalanceBalances(boolean cachingAccounts) {
        Ledger ledger = cachingAccounts ? Ledger.cachingAccounts() : LEDGER;
        Random random = new Random(SEED);
        List<Book> books = List.of(Book.open("KRW", 4, 2), Book.open("USD", 2, 1));
        Model model = new Model();
        books.forEach(b -> b.all().forEach(model::open));
        Generator generate = new Generator(random, books);
        Map<TransferResult, Integer> seen = new EnumMap<>(TransferResult.class);

        for (int step = 0; step < STEPS; step++) {
            List<Transfer> batch = generate.batch();
            List<TransferResult> expected = model.apply(batch);
            List<TransferResult> actual = tx(db, c -> ledger.createTransfers(c, batch));
            assertEquals(expected, actual, "seed " + SEED + " step " + step + ": " + batch);
            actual.forEach(r -> seen.merge(r, 1, Integer::sum));
        }

        for (Book book : books) {
            for (Account a : book.all()) assertEquals(model.balance(a), balance(db, a.id()), "seed " + SEED + ": " + a);
        }
        assertTrialBalance(model);
        assertCardRowsAgreeWithTheirTransfers(books);
        for (TransferResult r : List.of(TransferResult.CREATED, TransferResult.EXISTS, TransferResult.EXISTS_WITH_DIFFERENT_FIELDS,
                TransferResult.EXCEEDS_CREDITS, TransferResult.LINKED_EVENT_FAILED, TransferResult.CURRENCIES_MUST_BE_EQUAL,
                TransferResult.PENDING_TRANSFER_ALREADY_POSTED, TransferResult.PENDING_TRANSFER_ALREADY_VOIDED,
                TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT)) {
            assertTrue(seen.getOrDefault(r, 0) > 0, "seed " + SEED + ": the mix never produced " + r + ": " + seen);
        }
    }

    private static void assertTrialBalance(Model model) {
        List<TrialBalance> lines = trialBalance(db);
        assertEquals(List.of("KRW", "USD"), lines.stream().map(TrialBalance::currency).toList());
        for (TrialBalance line : lines) {
            assertTrue(line.balanced(), line.toString());
            assertEquals(model.trialBalance(line.currency()), line);
            assertTrue(line.debitsPosted() > 0 && line.debitsPending() > 0, "the mix moved money: " + line);
        }
    }

    /** A card's row totals and the sums of its transfers are two records of the same money. */
    private static void assertCardRowsAgreeWithTheirTransfers(List<Book> books) {
        for (Book book : books) {
            for (Account card : book.cards()) {
                Totals row = tx(db, c -> AccountStore.readTotals(c, card.id()));
                Totals summed = tx(db, c -> Sums.hotAccount(c, card.id()));
                assertEquals(row, summed, card.code());
            }
        }
    }

    /** Random batches; about one in five has two or three transfers. */
    private static final class Generator {
        private final Random random;
        private final List<Book> books;
        private final List<Transfer> submitted = new ArrayList<>();
        private final List<Transfer> holds = new ArrayList<>();

        Generator(Random random, List<Book> books) {
            this.random = random;
            this.books = books;
        }

        List<Transfer> batch() {
            int size = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
            List<Transfer> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) batch.add(next());
            submitted.addAll(batch);
            batch.stream().filter(t -> t.kind() == TransferKind.PENDING).forEach(holds::add);
            return batch;
        }

        private Transfer next() {
            Book book = books.get(random.nextInt(books.size()));
            Account card = pick(book.cards());
            Account merchant = pick(book.merchants());
            return switch (random.nextInt(14)) {
                case 0, 1 -> Transfer.singlePhase(newId(), book.funding().id(), card.id(), amount(5_000), TransferCode.LOAD, "load");
                case 2, 3 -> Transfer.singlePhase(newId(), card.id(), merchant.id(), amount(3_000), TransferCode.PURCHASE, "purchase");
                case 4, 5 -> Transfer.pending(newId(), card.id(), merchant.id(), amount(3_000), TransferCode.AUTHORIZATION, "auth");
                case 6, 13 -> post();
                case 7 -> release();
                case 8 -> Transfer.singlePhase(newId(), merchant.id(), card.id(), amount(1_000), TransferCode.REFUND, "refund");
                case 9 -> Transfer.singlePhase(newId(), merchant.id(), book.settlement().id(), amount(2_000), TransferCode.SETTLEMENT, "");
                case 10 -> replay();
                case 11 -> Transfer.singlePhase(newId(), book.recovery().id(), merchant.id(), amount(500), TransferCode.ADVICE_SHORTFALL, "");
                case 12 -> mistake(book, card);
                default -> throw new AssertionError();
            };
        }

        /** A post of a random earlier hold, for up to a little more than it holds. */
        private Transfer post() {
            if (holds.isEmpty()) return replay();
            Transfer hold = pick(holds);
            // one in four asks for more than the hold
            long amount = random.nextInt(4) == 0 ? hold.amount() + 1 + random.nextInt(100) : random.nextInt((int) hold.amount() + 1);
            return Transfer.postPending(newId(), hold.id(), hold.debitAccountId(), hold.creditAccountId(), amount, TransferCode.COMPLETION, "");
        }

        private Transfer release() {
            if (holds.isEmpty()) return replay();
            Transfer hold = pick(holds);
            return Transfer.voidPending(newId(), hold.id(), hold.debitAccountId(), hold.creditAccountId(), TransferCode.AUTHORIZATION_RELEASE, "");
        }

        /** A retried request, or one that reuses an id with another amount. */
        private Transfer replay() {
            if (submitted.isEmpty()) return mistake(books.getFirst(), books.getFirst().cards().getFirst());
            Transfer t = pick(submitted);
            if (random.nextBoolean()) return t;
            return new Transfer(t.id(), t.kind(), t.debitAccountId(), t.creditAccountId(), t.amount() + 1, t.pendingId(), t.code(), t.reference());
        }

        /** Transfers that must fail with their own cause. */
        private Transfer mistake(Book book, Account card) {
            Book other = books.stream().filter(b -> b != book).findFirst().orElseThrow();
            return switch (random.nextInt(3)) {
                case 0 -> Transfer.singlePhase(newId(), card.id(), pick(other.merchants()).id(), 1, TransferCode.PURCHASE, "");
                case 1 -> Transfer.singlePhase(newId(), card.id(), pick(book.merchants()).id(), 0, TransferCode.PURCHASE, "");
                default -> Transfer.singlePhase(newId(), card.id(), pick(book.cards()).id(), amount(2_000), TransferCode.ADJUSTMENT, "");
            };
        }

        private long amount(int max) {
            return 1 + random.nextInt(max);
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }
    }

    /** The ledger's rules, written out plainly over maps. */
    private static final class Model {
        private final Map<Long, Account> accounts = new HashMap<>();
        private Map<Long, long[]> totals = new HashMap<>();
        private Map<TransferId, Transfer> transfers = new HashMap<>();
        private Map<TransferId, PendingState> states = new HashMap<>();

        void open(Account a) {
            accounts.put(a.id(), a);
            totals.put(a.id(), new long[4]);
        }

        List<TransferResult> apply(List<Transfer> batch) {
            Map<Long, long[]> totalsBefore = copy(totals);
            Map<TransferId, Transfer> transfersBefore = new HashMap<>(transfers);
            Map<TransferId, PendingState> statesBefore = new HashMap<>(states);
            List<TransferResult> results = new ArrayList<>();
            for (Transfer t : batch) {
                TransferResult r = apply(t);
                if (!r.ok()) {
                    totals = totalsBefore;
                    transfers = transfersBefore;
                    states = statesBefore;
                    List<TransferResult> failed = new ArrayList<>(batch.stream().map(x -> TransferResult.LINKED_EVENT_FAILED).toList());
                    failed.set(results.size(), r);
                    return failed;
                }
                results.add(r);
            }
            return results;
        }

        private TransferResult apply(Transfer t) {
            boolean moves = t.kind() == TransferKind.SINGLE_PHASE || t.kind() == TransferKind.PENDING;
            if (t.debitAccountId() == t.creditAccountId()) return TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
            if (moves && t.amount() == 0) return TransferResult.AMOUNT_MUST_NOT_BE_ZERO;
            Transfer existing = transfers.get(t.id());
            if (existing != null) return existing.equals(t) ? TransferResult.EXISTS : TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
            Account debit = accounts.get(t.debitAccountId());
            Account credit = accounts.get(t.creditAccountId());
            if (!debit.currency().equals(credit.currency())) return TransferResult.CURRENCIES_MUST_BE_EQUAL;
            long[] dr = totals.get(debit.id());
            long[] cr = totals.get(credit.id());
            if (moves) {
                if (debit.kind() == AccountKind.CARD_PREPAID && dr[0] + dr[2] + t.amount() > dr[1]) return TransferResult.EXCEEDS_CREDITS;
                int slot = t.kind() == TransferKind.SINGLE_PHASE ? 0 : 2;
                dr[slot] += t.amount();
                cr[slot + 1] += t.amount();
                if (t.kind() == TransferKind.PENDING) states.put(t.id(), PendingState.PENDING);
            } else {
                Transfer hold = transfers.get(t.pendingId());
                if (hold == null) return TransferResult.PENDING_TRANSFER_NOT_FOUND;
                if (hold.kind() != TransferKind.PENDING) return TransferResult.PENDING_TRANSFER_NOT_PENDING;
                if (hold.debitAccountId() != t.debitAccountId() || hold.creditAccountId() != t.creditAccountId()) {
                    return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
                }
                if (states.get(hold.id()) == PendingState.POSTED) return TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
                if (states.get(hold.id()) == PendingState.VOIDED) return TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
                if (t.amount() > hold.amount()) return TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
                dr[2] -= hold.amount();
                cr[3] -= hold.amount();
                boolean post = t.kind() == TransferKind.POST_PENDING;
                if (post) {
                    dr[0] += t.amount();
                    cr[1] += t.amount();
                }
                states.put(hold.id(), post ? PendingState.POSTED : PendingState.VOIDED);
            }
            transfers.put(t.id(), t);
            return TransferResult.CREATED;
        }

        Balance balance(Account a) {
            long[] t = totals.get(a.id());
            return new Balance(a.id(), a.currency(), t[0], t[1], t[2], t[3]);
        }

        TrialBalance trialBalance(String currency) {
            long[] sum = new long[4];
            new TreeMap<>(accounts).values().stream().filter(a -> a.currency().equals(currency)).forEach(a -> {
                for (int i = 0; i < 4; i++) sum[i] += totals.get(a.id())[i];
            });
            return new TrialBalance(currency, sum[0], sum[1], sum[2], sum[3]);
        }

        private static Map<Long, long[]> copy(Map<Long, long[]> m) {
            Map<Long, long[]> copy = new HashMap<>();
            m.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }
    }
}
