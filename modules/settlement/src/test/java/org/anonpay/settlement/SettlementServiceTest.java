// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SettlementServiceTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @Test
    void theDailyRunIsTheNextRunAtInItsZone() {
        var midnight = LocalDate.of(2026, 3, 2).atStartOfDay(SEOUL).toInstant();
        assertEquals(Duration.ofHours(1).toMillis(), SettlementService.delayMillis(midnight, LocalTime.of(1, 0), SEOUL));
        var two = LocalDate.of(2026, 3, 2).atTime(2, 0).atZone(SEOUL).toInstant();
        assertEquals(Duration.ofHours(23).toMillis(), SettlementService.delayMillis(two, LocalTime.of(1, 0), SEOUL));
        var exactly = LocalDate.of(2026, 3, 2).atTime(1, 0).atZone(SEOUL).toInstant();
        assertEquals(Duration.ofDays(1).toMillis(), SettlementService.delayMillis(exactly, LocalTime.of(1, 0), SEOUL), "not twice in one minute");
    }
}
