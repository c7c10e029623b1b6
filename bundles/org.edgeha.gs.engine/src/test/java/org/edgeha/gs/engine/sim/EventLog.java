package org.edgeha.gs.engine.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A global, ordered record of what providers observed, for assertions about order across gateways. */
public final class EventLog {

    /** One observation. */
    public record Event(long index, long time, String who, String what) {
    }

    private final VirtualScheduler scheduler;
    private final List<Event> events = new ArrayList<>();

    public EventLog(VirtualScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public synchronized void add(String who, String what) {
        events.add(new Event(events.size(), scheduler.nowMillis(), who, what));
    }

    public synchronized List<Event> all() {
        return List.copyOf(events);
    }

    public synchronized List<Event> matching(Predicate<Event> p) {
        return events.stream().filter(p).toList();
    }
}
