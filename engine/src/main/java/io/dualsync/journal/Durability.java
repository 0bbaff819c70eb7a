package io.dualsync.journal;

/**
 * When an append counts as done (docs/architecture.md says what each survives).
 * <ul>
 *   <li>{@link #PROCESS}: after the append to the memory-mapped queue file: survives a crash of the
 *       process (kill -9), not a power loss;</li>
 *   <li>{@link #POWER}: after the next group commit has synced the appended data to disk: survives
 *       power loss.</li>
 * </ul>
 */
public enum Durability { PROCESS, POWER }
