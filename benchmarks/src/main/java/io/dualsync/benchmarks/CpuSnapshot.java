package io.dualsync.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of some threads and of the whole process, and GC totals, at one moment: two snapshots
 * tell where a period's CPU went (a thread at 100 % of the period is the bottleneck on its core).
 * Taken from any thread.
 */
record CpuSnapshot(long atNs, long[] threadCpuNs, long processCpuNs, long gcCount, long gcMs) {

    static CpuSnapshot now(Thread... threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[threads.length];
        for (int i = 0; i < threads.length; i++) {
            cpu[i] = mx.getThreadCpuTime(threads[i].getId());
        }
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new CpuSnapshot(System.nanoTime(), cpu, process, count, ms);
    }

    /** Share of the period between {@code start} and this snapshot that thread {@code i} was on a CPU. */
    double busy(CpuSnapshot start, int i) {
        return (double) (threadCpuNs[i] - start.threadCpuNs[i]) / (atNs - start.atNs);
    }

    /** Microseconds of thread {@code i}'s CPU per unit of work ({@code units} in the period). */
    double usPer(CpuSnapshot start, int i, long units) {
        return units == 0 ? 0 : (threadCpuNs[i] - start.threadCpuNs[i]) / 1e3 / units;
    }

    double processUsPer(CpuSnapshot start, long units) {
        return units == 0 ? 0 : (processCpuNs - start.processCpuNs) / 1e3 / units;
    }

    /** The process's CPU time over the period, in cores (2.0 = both cores of a 2-core machine). */
    double processCores(CpuSnapshot start) {
        return (double) (processCpuNs - start.processCpuNs) / (atNs - start.atNs);
    }
}
