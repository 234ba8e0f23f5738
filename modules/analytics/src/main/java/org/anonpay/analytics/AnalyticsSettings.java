// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The analytics settings, {@code cfg/analytics/analytics.properties}: {@code min-group-size}, the
 * k of k-anonymity (default 5). A value below {@link #FLOOR} is refused: a "group" of one member
 * is that member's own spending.
 */
public record AnalyticsSettings(int minGroupSize) {

    /** No report ever shows a group smaller than this, whatever the configuration says. */
    public static final int FLOOR = 2;
    public static final int DEFAULT_MIN_GROUP_SIZE = 5;

    public AnalyticsSettings {
        requireAllowed(minGroupSize);
    }

    /** Throws unless {@code k} is at least {@link #FLOOR}. */
    public static int requireAllowed(int k) {
        if (k < FLOOR) {
            throw new IllegalArgumentException("min-group-size must be at least " + FLOOR + ", not " + k
                    + ": a smaller group would show a single member's spending");
        }
        return k;
    }

    /** Reads {@code file}; a missing file means the default. A bad or too small value is refused. */
    public static AnalyticsSettings load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        String v = p.getProperty("min-group-size", Integer.toString(DEFAULT_MIN_GROUP_SIZE)).trim();
        int k;
        try {
            k = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": min-group-size is not a number: " + v);
        }
        return new AnalyticsSettings(k);
    }
}
