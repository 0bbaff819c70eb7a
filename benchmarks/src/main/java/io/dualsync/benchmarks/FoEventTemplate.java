package io.dualsync.benchmarks;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of one kind of F&O data event (OnExternalCreated or OnExternalUpdated of CustomersV3), cut
 * out of a delivery the F&O emulator really made, with the values that differ from event to event
 * replaced by slots: so the load driver posts exactly the shape the emulator (and, by its sources,
 * F&O) sends, the whole record after the write in the Target and, for Updated, the record before it
 * in the PreImage, at the cost of a few string copies per event.
 *
 * <p>{@link #of} finds every occurrence of each marker text in the captured JSON; {@link #render}
 * puts the values of the slots in their place. Immutable and thread-safe.
 */
final class FoEventTemplate {
    /** The slots, indexes into {@link #render}'s values. */
    static final int ACCOUNT = 0;
    static final int NAME = 1;
    static final int MEMO = 2;
    static final int OLD_NAME = 3;
    static final int OLD_MEMO = 4;
    static final int CORRELATION_ID = 5;
    static final int OPERATION_ID = 6;
    static final int OPERATION_CREATED_ON = 7;
    static final int VIRTUAL_ID = 8;
    static final int SLOTS = 9;

    private final byte[][] parts;
    private final int[] slots;
    private final int fixedLength;

    private FoEventTemplate(byte[][] parts, int[] slots) {
        this.parts = parts;
        this.slots = slots;
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        this.fixedLength = n;
    }

    /**
     * @param json    a captured event body
     * @param markers text in {@code json} to slot number; every marker must occur, and no marker may
     *                contain another
     * @throws IllegalArgumentException when a marker does not occur (the captured shape is not what the
     *                                  driver expects)
     */
    static FoEventTemplate of(String json, Map<String, Integer> markers) {
        for (String m : markers.keySet()) {
            if (!json.contains(m)) {
                throw new IllegalArgumentException("the captured F&O event has no `" + m + "` (slot " + markers.get(m) + "): " + json);
            }
        }
        List<byte[]> parts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = -1;
            String found = null;
            for (String m : markers.keySet()) {
                int i = json.indexOf(m, from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    found = m;
                }
            }
            if (found == null) {
                parts.add(json.substring(from).getBytes(StandardCharsets.UTF_8));
                break;
            }
            parts.add(json.substring(from, at).getBytes(StandardCharsets.UTF_8));
            slots.add(markers.get(found));
            from = at + found.length();
        }
        return new FoEventTemplate(parts.toArray(new byte[0][]), slots.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The body with {@code values[slot]} in each slot; values must be JSON string content (no quotes or backslashes). */
    Buffer render(String[] values) {
        int size = fixedLength;
        for (int s : slots) {
            size += values[s].length();
        }
        Buffer b = Buffer.buffer(size);
        for (int i = 0; i < parts.length; i++) {
            b.appendBytes(parts[i]);
            if (i < slots.length) {
                b.appendString(values[slots[i]], "US-ASCII");
            }
        }
        return b;
    }
}
