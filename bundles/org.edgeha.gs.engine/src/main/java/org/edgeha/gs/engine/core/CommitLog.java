package org.edgeha.gs.engine.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.edgeha.gs.engine.wire.CommitRec;

/** The last protocols of one group, bounded, for catching up gateways that missed some. */
public final class CommitLog {

    private final int capacity;
    private final Deque<CommitRec> entries = new ArrayDeque<>();

    public CommitLog(int capacity) {
        this.capacity = capacity;
    }

    public void append(CommitRec c) {
        if (!entries.isEmpty() && c.seq() != entries.peekLast().seq() + 1) {
            entries.clear(); // a jump (dissolved and recreated, or reset): older entries no longer chain
        }
        entries.addLast(c);
        while (entries.size() > capacity) {
            entries.pollFirst();
        }
    }

    /**
     * Adds older protocols in front of the log (a gateway that just became interested in the group gets
     * the coordinator's log, so that it can later serve gateways that lag behind).
     */
    public void seed(List<CommitRec> older) {
        List<CommitRec> front = new ArrayList<>();
        long limit = entries.isEmpty() ? Long.MAX_VALUE : entries.peekFirst().seq();
        for (CommitRec c : older) {
            if (c.seq() < limit && (front.isEmpty() || c.seq() == front.get(front.size() - 1).seq() + 1)) {
                front.add(c);
            } else if (c.seq() < limit) {
                front.clear();
                front.add(c);
            }
        }
        if (front.isEmpty() || limit != Long.MAX_VALUE && front.get(front.size() - 1).seq() != limit - 1) {
            return; // would not chain onto the entries held
        }
        for (int i = front.size() - 1; i >= 0 && entries.size() < capacity; i--) {
            entries.addFirst(front.get(i));
        }
    }

    /** @return every protocol held, oldest first */
    public List<CommitRec> all() {
        return new ArrayList<>(entries);
    }

    public void clear() {
        entries.clear();
    }

    /**
     * @return the protocols numbered {@code fromSeq} and later, or {@code null} if the log no longer
     *     reaches back that far (the caller must send a snapshot instead)
     */
    public List<CommitRec> from(long fromSeq) {
        List<CommitRec> result = new ArrayList<>();
        if (entries.isEmpty()) {
            return result;
        }
        if (entries.peekLast().seq() < fromSeq) {
            return result;
        }
        if (entries.peekFirst().seq() > fromSeq) {
            return null;
        }
        for (CommitRec c : entries) {
            if (c.seq() >= fromSeq) {
                result.add(c);
            }
        }
        return result;
    }
}
