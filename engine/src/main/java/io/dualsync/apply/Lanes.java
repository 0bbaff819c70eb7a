package io.dualsync.apply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders the apply work: events of one record pair are applied in journal order, different records
 * in parallel. An event goes to one of N lanes by a stable hash of (map, record key), so a record
 * always lands in the same lane (one lane per worker context, no locks). Inside a lane each record
 * has its own queue: {@link Lane#poll} hands out the head of a record that has nothing in flight,
 * and that record's next event becomes ready only when the pipeline reports the head
 * {@link Lane#done}. So a record whose write is being retried holds back only its own later events;
 * the other records of its lane go on.
 *
 * <p>Back-pressure: a lane holds at most {@code capacity} events (queued and in flight);
 * {@link Lane#offer} refuses more, and the journal reader pauses until {@link Lane#hasRoom()}.
 *
 * <p>{@link #laneOf} is thread-safe; a {@link Lane} is used by one thread (its context) only.
 */
public final class Lanes<T> {
    private final List<Lane<T>> lanes;

    /** An event handed out for processing; give it back to {@link Lane#done} when its outcome is final. */
    public static final class Ticket<T> {
        private final RecordQueue<T> queue;
        private final T item;
        private final long seq;

        private Ticket(RecordQueue<T> queue, T item, long seq) {
            this.queue = queue;
            this.item = item;
            this.seq = seq;
        }

        public T item() {
            return item;
        }

        /** The record's lane key, {@code map/key}. */
        public String record() {
            return queue.id;
        }
    }

    private static final class RecordQueue<T> {
        final String id;
        final ArrayDeque<T> items = new ArrayDeque<>(2);
        boolean inFlight;
        long seq;

        RecordQueue(String id) {
            this.id = id;
        }
    }

    public Lanes(int count, int capacityPerLane) {
        if (count < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, not " + count);
        }
        if (capacityPerLane < 1) {
            throw new IllegalArgumentException("lane capacity must be at least 1, not " + capacityPerLane);
        }
        List<Lane<T>> l = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            l.add(new Lane<>(i, capacityPerLane));
        }
        this.lanes = List.copyOf(l);
    }

    public int count() {
        return lanes.size();
    }

    /** The lane of a record pair: the same for every event of the pair, in every process. */
    public int laneOf(String map, String recordKey) {
        // String.hashCode is specified by the language, so lanes are stable across runs; the mixing
        // spreads keys that differ only in their last characters.
        int h = (map + "/" + recordKey).hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, lanes.size());
    }

    public Lane<T> lane(int index) {
        return lanes.get(index);
    }

    /** The lane of a record pair. */
    public Lane<T> laneFor(String map, String recordKey) {
        return lanes.get(laneOf(map, recordKey));
    }

    /** One lane: per-record queues and the records ready to go, in the order they became ready. */
    public static final class Lane<T> {
        private final int index;
        private final int capacity;
        private final Map<String, RecordQueue<T>> records = new HashMap<>();
        private final ArrayDeque<RecordQueue<T>> ready = new ArrayDeque<>();
        private int size;
        private int inFlight;

        private Lane(int index, int capacity) {
            this.index = index;
            this.capacity = capacity;
        }

        public int index() {
            return index;
        }

        /**
         * Queues an event of a record behind that record's earlier events. Returns false, queuing
         * nothing, when the lane is full.
         */
        public boolean offer(String map, String recordKey, T item) {
            if (size >= capacity) {
                return false;
            }
            String id = map + "/" + recordKey;
            RecordQueue<T> q = records.computeIfAbsent(id, RecordQueue::new);
            q.items.addLast(item);
            size++;
            if (!q.inFlight && q.items.size() == 1) {
                ready.addLast(q);
            }
            return true;
        }

        /** The next event whose record has nothing in flight, or null when there is none. */
        public Ticket<T> poll() {
            RecordQueue<T> q = ready.pollFirst();
            if (q == null) {
                return null;
            }
            q.inFlight = true;
            inFlight++;
            return new Ticket<>(q, q.items.peekFirst(), ++q.seq);
        }

        /** The outcome of {@code ticket}'s event is final: its record's next event becomes ready. */
        public void done(Ticket<T> ticket) {
            RecordQueue<T> q = ticket.queue;
            if (!q.inFlight || q.seq != ticket.seq || records.get(q.id) != q) {
                throw new IllegalStateException("ticket for " + q.id + " is not in flight in lane " + index);
            }
            q.items.pollFirst();
            q.inFlight = false;
            inFlight--;
            size--;
            if (q.items.isEmpty()) {
                records.remove(q.id);
            } else {
                ready.addLast(q);
            }
        }

        /** True while the record has events queued or in flight in this lane. */
        public boolean holds(String map, String recordKey) {
            return records.containsKey(map + "/" + recordKey);
        }

        /** Events in the lane, queued or in flight. */
        public int size() {
            return size;
        }

        public int inFlight() {
            return inFlight;
        }

        /** Records with an event ready to hand out. */
        public int readyRecords() {
            return ready.size();
        }

        public boolean hasRoom() {
            return size < capacity;
        }

        public int capacity() {
            return capacity;
        }
    }
}
