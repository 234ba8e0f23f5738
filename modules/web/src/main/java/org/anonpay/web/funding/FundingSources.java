// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.extissuer.ExternalIssuerClient;
import org.anonpay.extissuer.VerificationResult;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.auth.WebSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet's funding sources (a7): credit cards of other issuers and bank accounts.
 * <pre>
 *   GET    /api/v1/funding-sources        the member's sources (removed ones not listed)
 *   POST   /api/v1/funding-sources        add one (CREDIT_CARD after its issuer confirmed it, or BANK_ACCOUNT)
 *   DELETE /api/v1/funding-sources/{id}   remove one (soft: top-ups keep naming it)
 *   GET    /api/v1/banks                  the bank list (public)
 * </pre>
 */
final class FundingSources {

    private static final Logger LOG = LoggerFactory.getLogger("anonpay.web.funding");

    /** A stored source with its number decrypted: only for funding a top-up, never in an answer. */
    record Source(long id, long memberRef, FundingKind kind, String number, String expiryYymm, String bankCode) {
        @Override
        public String toString() {
            return "Source[" + id + ", " + kind + "]";
        }
    }

    private final Database db;
    private final Supplier<CardPrograms> programs;
    private final Banks banks;
    private final FundingCipher cipher;
    private final ExternalIssuers issuers;
    private final Clock clock;

    FundingSources(Database db, Supplier<CardPrograms> programs, Banks banks, FundingCipher cipher, ExternalIssuers issuers, Clock clock) {
        this.db = db;
        this.programs = programs;
        this.banks = banks;
        this.cipher = cipher;
        this.issuers = issuers;
        this.clock = clock;
    }

    void addRoutes(Router router) {
        router.addMember("GET", "/api/v1/funding-sources", this::list)
                .addMember("POST", "/api/v1/funding-sources", this::add)
                .addMember("DELETE", "/api/v1/funding-sources/{id}", this::remove)
                .add("GET", "/api/v1/banks", request -> ApiResponse.ok(Map.of("banks", banks.all().stream().map(FundingSources::bank).toList())));
    }

    private static Map<String, Object> bank(Banks.Bank b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bankCode", b.code());
        m.put("nameKo", b.nameKo());
        m.put("nameEn", b.nameEn());
        return m;
    }

    // ---------------------------------------------------------------- list

    private ApiResponse list(ApiRequest request, WebSession session) {
        List<Map<String, Object>> sources = db.inJdbcTransaction(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, label, masked, expiry_yymm, bank_code, added_at FROM funding_source "
                    + "WHERE member_ref = ? AND removed_at IS NULL ORDER BY id")) {
                ps.setLong(1, session.memberRef());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(entry(rs));
                }
            }
            return out;
        });
        return ApiResponse.ok(Map.of("sources", sources));
    }

    private Map<String, Object> entry(ResultSet rs) throws SQLException {
        FundingKind kind = FundingKind.valueOf(rs.getString("kind"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sourceId", rs.getLong("id"));
        m.put("kind", kind.name());
        m.put("label", rs.getString("label"));
        m.put("masked", rs.getString("masked"));
        if (kind == FundingKind.CREDIT_CARD) {
            m.put("expiry", rs.getString("expiry_yymm"));
        } else {
            String code = rs.getString("bank_code");
            m.put("bankCode", code);
            m.put("bankName", banks.byCode(code).map(Banks.Bank::nameKo).orElse(null));
        }
        m.put("addedAt", rs.getTimestamp("added_at").toLocalDateTime().atOffset(ZoneOffset.UTC).toString());
        return m;
    }

    // ---------------------------------------------------------------- add

    private ApiResponse add(ApiRequest request, WebSession session) {
        SourceForm form = SourceForm.parse(Json.object(request), programs.get(), banks, YearMonth.now(clock));
        byte[] hash = cipher.lookupHash(form.kind(), form.identity());
        // the duplicate check comes before the verification, so a card already in the wallet costs its issuer nothing
        if (activeWithHash(session.memberRef(), hash)) throw ApiException.of(ErrorCode.FUNDING_SOURCE_EXISTS, numberField(form.kind()));
        String verificationCode = form.kind() == FundingKind.CREDIT_CARD ? verify(form) : null;
        long id = insert(session.memberRef(), form, hash, verificationCode);
        LOG.info("member {} added funding source {} ({} {})", session.memberRef(), id, form.kind(), form.masked());
        Map<String, Object> body = db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, label, masked, expiry_yymm, bank_code, added_at FROM funding_source WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return entry(rs);
                }
            }
        });
        return ApiResponse.created(body, "/api/v1/funding-sources/" + id);
    }

    private static String numberField(FundingKind kind) {
        return kind == FundingKind.CREDIT_CARD ? "pan" : "accountNumber";
    }

    /**
     * The zero-amount account verification at the card's issuer: only VERIFIED lets the card in.
     * Each refusal names the field it concerns. Returns the issuer's answer for the row (not the CVV2).
     */
    private String verify(SourceForm form) {
        ExternalIssuerClient client = issuers.client().orElseThrow(() -> ApiException.of(ErrorCode.ISSUER_UNAVAILABLE, null));
        VerificationResult result = client.verifyOwnership(form.number(), form.expiryYymm(), form.cvv2());
        return switch (result) {
            case VERIFIED -> "VERIFIED";
            case UNKNOWN_CARD -> throw refused("pan", "the card's issuer does not know this card");
            case WRONG_EXPIRY -> throw refused("expiry", "the card's issuer refused this expiry");
            case WRONG_CVV2 -> throw refused("cvv2", "the card's issuer refused this CVV2");
            case DECLINED -> throw refused(null, "the card's issuer declined the verification");
            case ISSUER_UNAVAILABLE -> throw ApiException.of(ErrorCode.ISSUER_UNAVAILABLE, null);
        };
    }

    private static ApiException refused(String field, String message) {
        return new ApiException(FieldError.of(ErrorCode.OWNERSHIP_NOT_CONFIRMED, field, message));
    }

    private boolean activeWithHash(long memberRef, byte[] hash) {
        return db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM funding_source WHERE member_ref = ? AND number_hash = ? AND removed_at IS NULL")) {
                ps.setLong(1, memberRef);
                ps.setBytes(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The unique key on (member, hash, active) settles two adds racing each other: the second gets 409. */
    private long insert(long memberRef, SourceForm form, byte[] hash, String verificationCode) {
        try {
            return db.inJdbcTransaction(c -> insert(c, memberRef, form, hash, verificationCode));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) throw ApiException.of(ErrorCode.FUNDING_SOURCE_EXISTS, numberField(form.kind()));
            throw e;
        }
    }

    private long insert(Connection c, long memberRef, SourceForm form, byte[] hash, String verificationCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO funding_source (member_ref, kind, label, masked, expiry_yymm, bank_code, "
                + "holder_name, number_encrypted, number_hash, verification_code, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, memberRef);
            ps.setString(2, form.kind().name());
            ps.setString(3, form.label());
            ps.setString(4, form.masked());
            ps.setString(5, form.expiryYymm());
            ps.setString(6, form.bankCode());
            ps.setString(7, form.holderName());
            ps.setBytes(8, cipher.encrypt(form.number(), memberRef, form.kind()));
            ps.setBytes(9, hash);
            ps.setString(10, verificationCode);
            ps.setTimestamp(11, Timestamp.valueOf(now()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- remove

    /** Soft delete: the row stays for the top-ups that name it. Another member's or a removed source is 404. */
    private ApiResponse remove(ApiRequest request, WebSession session) {
        long id = idOf(request);
        int removed = db.inJdbcTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE funding_source SET removed_at = ? WHERE id = ? AND member_ref = ? AND removed_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.valueOf(now()));
                ps.setLong(2, id);
                ps.setLong(3, session.memberRef());
                return ps.executeUpdate();
            }
        });
        if (removed == 0) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        LOG.info("member {} removed funding source {}", session.memberRef(), id);
        return new ApiResponse(204, null, Map.of());
    }

    /** Segment 3 of /api/v1/funding-sources/{id}; anything but a positive number is no source (404). */
    private static long idOf(ApiRequest request) {
        String id = Objects.requireNonNullElse(Router.segment(request, 3), "");
        if (!id.matches("[1-9][0-9]{0,17}")) throw ApiException.of(ErrorCode.NOT_FOUND, null);
        return Long.parseLong(id);
    }

    // ---------------------------------------------------------------- for top-ups

    /** The member's source, not removed, with its number decrypted; empty for another member's or a removed one. */
    Optional<Source> activeSource(Connection c, long memberRef, long sourceId) throws SQLException {
        return find(c, "SELECT id, member_ref, kind, number_encrypted, expiry_yymm, bank_code FROM funding_source "
                + "WHERE id = ? AND member_ref = ? AND removed_at IS NULL", sourceId, memberRef);
    }

    /** The source a top-up named, even if removed since: an unfinished top-up must still be able to give money back. */
    Optional<Source> anySource(Connection c, long memberRef, long sourceId) throws SQLException {
        return find(c, "SELECT id, member_ref, kind, number_encrypted, expiry_yymm, bank_code FROM funding_source "
                + "WHERE id = ? AND member_ref = ?", sourceId, memberRef);
    }

    private Optional<Source> find(Connection c, String sql, long sourceId, long memberRef) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, sourceId);
            ps.setLong(2, memberRef);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                FundingKind kind = FundingKind.valueOf(rs.getString("kind"));
                String number = cipher.decrypt(rs.getBytes("number_encrypted"), memberRef, kind);
                return Optional.of(new Source(rs.getLong("id"), memberRef, kind, number, rs.getString("expiry_yymm"), rs.getString("bank_code")));
            }
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
