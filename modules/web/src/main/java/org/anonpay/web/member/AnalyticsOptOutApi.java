// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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
 * Whether the member's spending takes part in the aggregated analytics report (modules/analytics,
 * issue 5 item 4): {@code GET /api/v1/members/me/analytics} answers {@code {"optOut":false}};
 * {@code PUT} with {@code {"optOut":true|false}} changes it (member session and CSRF token, as
 * every member route). Opting out leaves every transaction of the member out of every later
 * report. The table {@code analytics_opt_out} is the analytics module's (V80); it is written here
 * with plain JDBC so the wallet does not depend on that module.
 */
public final class AnalyticsOptOutApi {

    public static final String PATH = "/api/v1/members/me/analytics";

    private final DataSource dataSource;
    private final Clock clock;

    public AnalyticsOptOutApi(Database database, Clock clock) {
        this.dataSource = database.dataSource();
        this.clock = clock;
    }

    public void addRoutes(Router router) {
        router.addMember("GET", PATH, this::get).addMember("PUT", PATH, this::put);
    }

    private ApiResponse get(ApiRequest request, WebSession session) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM analytics_opt_out WHERE member_ref = ?")) {
            ps.setLong(1, session.memberRef());
            try (ResultSet rs = ps.executeQuery()) {
                boolean optedOut = rs.next();
                c.commit();
                return ApiResponse.ok(Map.of("optOut", optedOut));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("analytics opt-out of member " + session.memberRef(), e);
        }
    }

    private ApiResponse put(ApiRequest request, WebSession session) {
        ObjectNode body = Json.object(request);
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"optOut".equals(name)) throw ApiException.of(ErrorCode.UNKNOWN_FIELD, name);
        }
        JsonNode value = body.get("optOut");
        if (value == null || value.isNull()) throw ApiException.of(ErrorCode.REQUIRED, "optOut");
        if (!value.isBoolean()) throw ApiException.of(ErrorCode.INVALID_VALUE, "optOut");
        boolean optOut = value.booleanValue();
        try (Connection c = dataSource.getConnection()) {
            if (optOut) {
                // the first opt-out's time stays: a repeat changes nothing
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO analytics_opt_out (member_ref, opted_out_at) VALUES (?, ?)"
                                + " ON DUPLICATE KEY UPDATE member_ref = member_ref")) {
                    ps.setLong(1, session.memberRef());
                    ps.setTimestamp(2, Timestamp.from(clock.instant()));
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM analytics_opt_out WHERE member_ref = ?")) {
                    ps.setLong(1, session.memberRef());
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("analytics opt-out of member " + session.memberRef(), e);
        }
        return ApiResponse.ok(Map.of("optOut", optOut));
    }
}
