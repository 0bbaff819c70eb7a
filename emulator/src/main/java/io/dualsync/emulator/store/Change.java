package io.dualsync.emulator.store;

/** An entry of a table's change log: a row written (or deleted) at a row version. */
public record Change(long version, String id, boolean deleted) {
}
