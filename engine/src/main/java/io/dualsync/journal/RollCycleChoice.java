package io.dualsync.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Chronicle roll cycle for a file length, and the name and time span of each cycle's file (as
 * Chronicle names them: the cycle's start in UTC, in the roll cycle's format, plus {@code .cq4}).
 */
final class RollCycleChoice {
    private static final List<RollCycle> SUPPORTED = List.of(TestRollCycles.TEST_SECONDLY,
            RollCycles.FIVE_MINUTELY, RollCycles.TEN_MINUTELY, RollCycles.TWENTY_MINUTELY, RollCycles.HALF_HOURLY,
            RollCycles.FAST_HOURLY, RollCycles.TWO_HOURLY, RollCycles.FOUR_HOURLY, RollCycles.SIX_HOURLY,
            RollCycles.FAST_DAILY);

    final RollCycle rollCycle;
    private final DateTimeFormatter fileNames;

    private RollCycleChoice(RollCycle rollCycle) {
        this.rollCycle = rollCycle;
        this.fileNames = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    static RollCycleChoice of(Duration rollEvery) {
        if (rollEvery == null) {
            throw new IllegalArgumentException("rollEvery is missing");
        }
        for (RollCycle c : SUPPORTED) {
            if (c.lengthInMillis() == rollEvery.toMillis()) {
                return new RollCycleChoice(c);
            }
        }
        throw new IllegalArgumentException("a journal file cannot cover " + rollEvery + "; choose one of "
                + SUPPORTED.stream().skip(1).map(c -> Duration.ofMillis(c.lengthInMillis()).toString())
                .collect(Collectors.joining(", ")));
    }

    /** The file Chronicle keeps the cycle in (epoch 0, UTC: what these roll cycles use). */
    String fileName(int cycle) {
        return fileNames.format(Instant.ofEpochMilli(startMillis(cycle))) + ".cq4";
    }

    long startMillis(int cycle) {
        return (long) cycle * rollCycle.lengthInMillis();
    }

    long endMillis(int cycle) {
        return startMillis(cycle + 1);
    }
}
