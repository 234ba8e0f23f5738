// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.funding;

import java.time.Clock;
import java.util.function.Supplier;
import org.anonpay.db.Database;
import org.anonpay.issuer.CardPrograms;
import org.anonpay.web.Router;
import org.anonpay.web.WebSettings;
import org.anonpay.web.auth.AuthApi;

/** Funding sources and top-ups (patent step a7). Skeleton: routes are added as they are built. */
public final class FundingApi {

    public static FundingApi create(Database db, WebSettings settings, Supplier<CardPrograms> programs, AuthApi auth, Clock clock) {
        return new FundingApi();
    }

    public void addRoutes(Router router) {
        // nothing yet
    }
}
