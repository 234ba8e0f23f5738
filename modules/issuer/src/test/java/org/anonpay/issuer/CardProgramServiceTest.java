// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.jpos.core.SimpleConfiguration;
import org.jpos.q2.QBean;
import org.jpos.util.NameRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardProgramServiceTest {

    @TempDir
    Path dir;

    @Test
    void reloadsAChangedFolderAndKeepsTheLastGoodSetWhenAFileIsBad() throws Exception {
        Path file = dir.resolve("krw.properties");
        Files.writeString(file, CardProgramsTest.program("A-PREPAID", "94100000-94109999", "KRW"), StandardCharsets.UTF_8);
        CardProgramService service = started();
        try {
            assertEquals(500_000, CardProgramService.current().byId("A-PREPAID").orElseThrow().limitPerTransaction());
            assertSame(service, NameRegistrar.get(CardProgramService.REGISTRY_NAME));

            Files.writeString(file, CardProgramsTest.program("A-PREPAID", "94100000-94109999", "KRW")
                    .replace("limit.per.transaction=500000", "limit.per.transaction=700000"), StandardCharsets.UTF_8);
            service.reloadIfChanged();
            assertEquals(700_000, CardProgramService.current().byId("A-PREPAID").orElseThrow().limitPerTransaction());

            Files.writeString(dir.resolve("broken.properties"), "id=B-PREPAID\n", StandardCharsets.UTF_8);
            service.reloadIfChanged();
            CardPrograms kept = CardProgramService.current();
            assertEquals(1, kept.all().size(), "the bad file is not taken in");
            assertEquals(700_000, kept.byId("A-PREPAID").orElseThrow().limitPerTransaction());

            Files.delete(dir.resolve("broken.properties"));
            Files.writeString(dir.resolve("usd.properties"), CardProgramsTest.program("B-PREPAID", "94200000-94209999", "USD"), StandardCharsets.UTF_8);
            service.reloadIfChanged();
            assertEquals(2, CardProgramService.current().all().size());
        } finally {
            service.stop();
        }
        assertThrows(IllegalStateException.class, CardProgramService::current);
    }

    @Test
    void aBadSetAtStartFailsTheService() throws Exception {
        Files.writeString(dir.resolve("broken.properties"), "id=B-PREPAID\n", StandardCharsets.UTF_8);
        CardProgramService service = started();
        assertEquals(QBean.FAILED, service.getState());
        service.stop();
    }

    private CardProgramService started() throws Exception {
        Properties p = new Properties();
        p.setProperty("programs-dir", dir.toString());
        p.setProperty("poll-seconds", "3600");
        CardProgramService service = new CardProgramService();
        service.setConfiguration(new SimpleConfiguration(p));
        service.init();
        service.start();
        return service;
    }
}
