// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.host;

import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The host's continuous flight recording (what {@code jcmd <pid> JFR.dump} writes after an
 * incident). Q2 starts one of its own with the JDK's "default" settings; those record every jPOS
 * transaction-manager and channel event with its stack trace, several per participant of every
 * message: about 9 % of the host's CPU at 2,000 messages/s (async-profiler, docs/performance.md).
 * This recording is the same "default" one, except that those per-message jPOS events are kept
 * only when they take 10 ms or more (the threshold jPOS itself gives its space and log events):
 * the slow participant or send is still there, the thousands of fast ones are not.
 */
final class FlightRecording {
    /** A per-message jPOS event shorter than this is not recorded. */
    static final String JPOS_EVENT_THRESHOLD = "10 ms";

    /** jPOS 3.0.1's events written for every message (org.jpos.jfr: TMEvent, ChannelEvent). */
    static final List<String> PER_MESSAGE_JPOS_EVENTS = List.of(
            "jpos.TMEvent", "jpos.TMPrepare", "jpos.TMPrepareForAbort", "jpos.TMCommit",
            "jpos.TMAbort", "jpos.TMSnapshot", "jpos.TMPause", "jpos.TMRecover",
            "jpos.Channel", "jpos.Channel.Receive", "jpos.Channel.Send");

    /** Q2's own option that leaves its recording off; {@link Main} passes it and starts this one. */
    static final String Q2_NO_JFR = "--no-jfr";

    private FlightRecording() {}

    static Recording start() throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("default"));
        recording.setName("anonpay");
        recording.setSettings(settings(recording.getSettings()));
        recording.start();
        return recording;
    }

    /** The "default" settings with the per-message jPOS events' threshold raised. */
    static Map<String, String> settings(Map<String, String> defaults) {
        Map<String, String> settings = new HashMap<>(defaults);
        for (String event : PER_MESSAGE_JPOS_EVENTS) {
            settings.put(event + "#threshold", JPOS_EVENT_THRESHOLD);
        }
        return settings;
    }

    /** Whether the operator asked Q2 for no flight recording at all ({@code --no-jfr} or {@code -Nf}). */
    static boolean disabledBy(String[] args) {
        for (String arg : args) {
            if (arg.equals(Q2_NO_JFR) || arg.equals("-Nf")) return true;
        }
        return false;
    }
}
