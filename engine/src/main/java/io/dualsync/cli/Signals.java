package io.dualsync.cli;

/**
 * SIGTERM and SIGINT (Ctrl-C) as events a command waits for, so it can stop cleanly and choose its exit
 * status. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK since 9 and kept for
 * exactly this purpose); where it is unavailable, falls back to a shutdown hook that runs the action.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on the first SIGTERM or SIGINT. */
    @SuppressWarnings("removal")
    static void onTermination(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> action.run());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> action.run());
        } catch (IllegalArgumentException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "dualsync-shutdown"));
        }
    }
}
