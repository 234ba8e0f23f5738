// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.anonpay.db.Database;
import org.anonpay.web.ApiException;
import org.anonpay.web.ApiRequest;
import org.anonpay.web.ApiResponse;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.Json;
import org.anonpay.web.Router;
import org.anonpay.web.auth.WebSession;

/**
 * How the member receives the next-day statement (patent b12, claim 10; modules/statements):
 * {@code GET /api/v1/members/me/statement-channel} answers {@code {"channel":"EMAIL"}} with the
 * member's e-mail and mobile masked; {@code PUT} with {@code {"channel":"EMAIL"|"SMS"}} changes it
 * (member session and CSRF token, as every member route). A statement not yet sent goes by the
 * channel in force when the job sends it.
 */
public final class StatementChannelApi {

    public static final String PATH = "/api/v1/members/me/statement-channel";

    private final DataSource dataSource;

    public StatementChannelApi(Database database) {
        this.dataSource = database.dataSource();
    }

    public void addRoutes(Router router) {
        router.addMember("GET", PATH, this::get).addMember("PUT", PATH, this::put);
    }

    private ApiResponse get(ApiRequest request, WebSession session) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT statement_channel, email, mobile FROM member WHERE id = ?")) {
            ps.setLong(1, session.memberRef());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw ApiException.of(ErrorCode.NOT_AUTHENTICATED, null);
                Map<String, Object> answer = Map.of("channel", rs.getString(1), "email", maskEmail(rs.getString(2)),
                        "mobile", maskMobile(rs.getString(3)));
                c.commit();
                return ApiResponse.ok(answer);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("statement channel of member " + session.memberRef(), e);
        }
    }

    private ApiResponse put(ApiRequest request, WebSession session) {
        ObjectNode body = Json.object(request);
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"channel".equals(name)) throw ApiException.of(ErrorCode.UNKNOWN_FIELD, name);
        }
        JsonNode value = body.get("channel");
        if (value == null || value.isNull()) throw ApiException.of(ErrorCode.REQUIRED, "channel");
        StatementChannel channel;
        try {
            if (!value.isTextual()) throw new IllegalArgumentException();
            channel = StatementChannel.valueOf(value.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.of(ErrorCode.INVALID_VALUE, "channel");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE member SET statement_channel = ?, version = version + 1 WHERE id = ?")) {
            ps.setString(1, channel.name());
            ps.setLong(2, session.memberRef());
            if (ps.executeUpdate() != 1) throw ApiException.of(ErrorCode.NOT_AUTHENTICATED, null);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("statement channel of member " + session.memberRef(), e);
        }
        return ApiResponse.ok(Map.of("channel", channel.name()));
    }

    /** h***@example.kr */
    static String maskEmail(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    /** 010-****-5678 */
    static String maskMobile(String mobile) {
        int last = mobile.lastIndexOf('-');
        int first = mobile.indexOf('-');
        return first < 0 || last <= first ? "***" : mobile.substring(0, first) + "-****" + mobile.substring(last);
    }
}
