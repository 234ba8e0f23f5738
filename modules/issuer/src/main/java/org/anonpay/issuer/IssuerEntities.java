// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.util.List;
import org.anonpay.db.EntityCatalog;

/** The issuer's Hibernate entities, found by {@link org.anonpay.db.Database} through ServiceLoader. */
public final class IssuerEntities implements EntityCatalog {
    @Override
    public List<Class<?>> entityClasses() {
        return List.of(Card.class, CardControlRow.class);
    }
}
