package io.prodigy.storage.cli.events;

import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.event.EventRecord;
import java.util.Locale;

/** The one-line human form of an event: sequence, time, type, agent and the payload (abbreviated). */
final class EventText {

    private static final int DATA_WIDTH = 100;

    private EventText() {}

    static String line(EventRecord e) {
        String agent = e.agentId() == null ? "-" : e.agentId();
        return String.format(Locale.ROOT, "%6d  %-24s  %-22s  %-15s  %s", e.sequence(),
                Formats.preciseTime(e.timestamp()), Formats.printable(e.eventType()), Formats.printable(agent),
                Formats.abbreviate(Formats.printable(e.data().toString()), DATA_WIDTH));
    }

    static String header() {
        return String.format(Locale.ROOT, "%6s  %-24s  %-22s  %-15s  %s", "SEQ", "TIME", "TYPE", "AGENT", "DATA");
    }
}
