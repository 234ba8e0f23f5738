// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.jpos.jfr.TMEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlightRecordingIT {

    @Test
    void aSlowParticipantIsRecordedAndAFastOneIsNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host.jfr");
        try (Recording recording = FlightRecording.start()) {
            prepare("FastParticipant", 0);
            prepare("SlowParticipant", 30);
            recording.dump(file);
        }
        List<String> prepared = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jpos.TMPrepare"))
                .map(e -> e.getString("name"))
                .toList();
        assertEquals(List.of("SlowParticipant"), prepared);
    }

    @Test
    void theJdksDefaultEventsStayAsTheyWere() throws Exception {
        try (Recording recording = FlightRecording.start()) {
            assertEquals("true", recording.getSettings().get("jdk.GarbageCollection#enabled"));
            assertEquals("20 ms", recording.getSettings().get("jdk.JavaMonitorEnter#threshold"));
            assertEquals("10 ms", recording.getSettings().get("jpos.TMCommit#threshold"));
        }
    }

    @Test
    void noJfrLeavesEveryRecordingOff() {
        assertTrue(FlightRecording.disabledBy(new String[] {"--no-jfr"}));
        assertTrue(FlightRecording.disabledBy(new String[] {"-Nf"}));
        assertFalse(FlightRecording.disabledBy(new String[] {"-r"}));
    }

    private static void prepare(String participant, long millis) throws InterruptedException {
        TMEvent event = new TMEvent.Prepare(participant, 1);
        event.begin();
        Thread.sleep(millis);
        event.commit();
    }
}
