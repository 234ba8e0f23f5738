// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.auth;

import org.anonpay.web.ApiRequest;

/** What {@link org.anonpay.web.Router#addMember member routes} check before their handler runs. */
public interface SessionGuard {

    /** The live session of the request's session cookie; also records the request (idle timeout). @throws org.anonpay.web.ApiException 401 NOT_AUTHENTICATED */
    WebSession authenticate(ApiRequest request);

    /** @throws org.anonpay.web.ApiException 403 CSRF_TOKEN_INVALID unless {@code X-CSRF-Token} is the session's token */
    void requireCsrf(ApiRequest request, WebSession session);
}
