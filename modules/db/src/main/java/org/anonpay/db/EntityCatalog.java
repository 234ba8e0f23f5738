// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.db;

import java.util.List;

/**
 * A module's Hibernate entity classes. Each module that has entities lists them in a class
 * registered under {@code META-INF/services/org.anonpay.db.EntityCatalog}; {@link Database}
 * finds them with {@link java.util.ServiceLoader}, so the db module needs to know no other module.
 * Schemas come from Flyway migrations under {@code db/migration} in the same module, never from
 * Hibernate's schema generation.
 */
public interface EntityCatalog {
    List<Class<?>> entityClasses();
}
