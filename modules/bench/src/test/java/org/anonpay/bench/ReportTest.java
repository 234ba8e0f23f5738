// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The summary's CPU line: what an authorization cost beside what each target allows. */
class ReportTest {

    @Test
    void theCostPerAuthorizationIsEachProcessesCoresOverTheRateAndTheAllowanceIsAllCoresOverTheTarget() {
        // 2,000 auth/s on 0.8 + 0.9 + 0.1 cores; ceilings 20,000 commits/s and 100,000 echoes/s
        String line = Report.cpuBudget(2_000, new CpuMeter.Use(0.8, 0.9, 0.1), 2, 20_000, 100_000);
        assertEquals("host 400 + mariadbd 450 + bench client 50 = 900 µs of CPU per authorization; at this cost 2 cores answer at most 2222/s;"
                + " the database target allows 100 µs, the framework target 67 µs", line);
    }

    @Test
    void aCeilingNotMeasuredHasNoAllowance() {
        String line = Report.cpuBudget(1_000, new CpuMeter.Use(0.5, 0.5, 0.0), 2, Double.NaN, 0);
        assertEquals("host 500 + mariadbd 500 + bench client 0 = 1000 µs of CPU per authorization; at this cost 2 cores answer at most 2000/s;"
                + " the database target allows n/a µs, the framework target n/a µs", line);
        assertEquals("no authorizations", Report.cpuBudget(0, new CpuMeter.Use(0.5, 0.5, 0.0), 2, 1, 1));
    }
}
