package io.dualsync.emulator;

/**
 * Told about every committed write of one emulator (webhooks, F&O data and business events).
 * Called on the emulator's event loop after the write is visible; must not block.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ChangeEvent event);
}
