package io.dualsync.emulator.fo.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * F&O's record ids as far as events show them: one sequence of {@code RecId}s, starting where F&O
 * starts ({@code 5637144576}), that both rows and the business-event commit log draw from.
 *
 * <p>Why one shared sequence: the docs say the business event {@code ControlNumber} "is an upwardly
 * increasing number ... cannot be sequential. There can be gaps in the numbering space"
 * (business-events/home-page.md, "Idempotency"); in F&O it is the RecId of the event's commit-log
 * record, and the RecIds in between went to other records. Here every row the emulator first sees
 * takes one, so control numbers have gaps for the same reason. The sequence is global, not per
 * company: the docs describe no per-company numbering.
 *
 * <p>The virtual-table primary key is a GUID made of "the data entity ID in the first 4 bytes, and
 * the record ID of the root data source in the entity as the last 8 bytes"
 * (power-platform/entity-modeling.md, "Entity key/primary key"). The entity id here is a stable
 * hash of the entity name, since the emulator has no AOT ids.
 *
 * <p>Owned by the emulator's event loop: not thread-safe.
 */
final class RecIds {
    /** The first RecId F&O hands out. */
    static final long FIRST = 5_637_144_576L;

    private long next = FIRST;
    private final Map<String, Long> rows = new HashMap<>();

    /** Takes the next RecId. */
    long next() {
        return next++;
    }

    /** The RecId of a row, taking one the first time the row is seen. */
    long ofRow(String entitySet, String rowId) {
        return rows.computeIfAbsent(rowKey(entitySet, rowId), k -> next());
    }

    /** Forgets a deleted row: a new row with the same key is a new record with a new RecId. */
    void forget(String entitySet, String rowId) {
        rows.remove(rowKey(entitySet, rowId));
    }

    /** The virtual-table GUID of a record: entity id in bytes 0..3, zeros, RecId in bytes 8..15. */
    static UUID virtualEntityId(String entityName, long recId) {
        byte[] b = new byte[16];
        int entityId = Math.floorMod(entityName.toLowerCase(Locale.ROOT).hashCode(), 0xFFFF) + 1;
        // .NET's Guid(byte[]) reads the first int little-endian; write it so the text shows 0000XXXX.
        ByteBuffer.wrap(b, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(entityId);
        ByteBuffer.wrap(b, 8, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(recId);
        return dotNetGuid(b);
    }

    /** Reads 16 bytes the way .NET's {@code Guid(byte[])} does (first three groups little-endian). */
    private static UUID dotNetGuid(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        long a = Integer.toUnsignedLong(in.order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        long c1 = Short.toUnsignedLong(in.getShort(4));
        long c2 = Short.toUnsignedLong(in.getShort(6));
        long high = (a << 32) | (c1 << 16) | c2;
        long low = in.order(ByteOrder.BIG_ENDIAN).getLong(8);
        return new UUID(high, low);
    }

    private static String rowKey(String entitySet, String rowId) {
        return entitySet.toLowerCase(Locale.ROOT) + '\u0000' + rowId;
    }
}
