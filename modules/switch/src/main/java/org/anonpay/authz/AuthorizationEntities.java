// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.authz;

import java.util.List;
import org.anonpay.db.EntityCatalog;

/** The switch module's Hibernate entities, found by the db module through ServiceLoader. */
public final class AuthorizationEntities implements EntityCatalog {
    @Override
    public List<Class<?>> entityClasses() {
        return List.of(JournalEntry.class);
    }
}
