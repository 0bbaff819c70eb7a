package io.dualsync.metrics;

import io.dualsync.mapping.ConflictPolicy;
import io.dualsync.mapping.Side;
import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    private static Metrics withEveryGauge() {
        Metrics m = new Metrics();
        AtomicLong n = new AtomicLong(3);
        m.registerJournalLag("apply", n::get, () -> 1.5);
        for (Side target : Side.values()) {
            m.registerApplyConcurrency(target, n::get, () -> 52);
        }
        m.registerDeadLetters(() -> 2);
        m.conflicts(ConflictPolicy.Kind.FO_WINS, Metrics.ConflictOutcome.FO_WON).increment();
        return m;
    }

    private static List<String> meterNameConstants() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : Metrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && ((String) f.get(null)).startsWith("dualsync.")) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    @Test
    void everyMeter_hasADescription_andALowercaseDottedName() {
        Metrics m = withEveryGauge();

        List<Meter> ours = m.registry().getMeters().stream().filter(x -> x.getId().getName().startsWith("dualsync.")).toList();
        assertThat(ours).isNotEmpty().allSatisfy(meter -> {
            assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
            assertThat(meter.getId().getName()).matches("dualsync(\\.[a-z]+)+");
        });
    }

    @Test
    void everyNameConstant_isAMeter_andEveryMeterIsANameConstant() throws IllegalAccessException {
        Metrics m = withEveryGauge();

        List<String> registered = m.registry().getMeters().stream().map(x -> x.getId().getName())
                .filter(n -> n.startsWith("dualsync.")).distinct().toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(meterNameConstants());
    }

    @Test
    void tagValues_comeFromSmallFixedSets() {
        Metrics m = withEveryGauge();

        for (Meter meter : m.registry().getMeters()) {
            meter.getId().getTags().forEach(tag -> assertThat(tag.getValue()).matches("[a-z_-]+"));
        }
        assertThat(m.registry().find(Metrics.APPLY_EVENTS).tag("target", "dataverse").tag("result", "dead_lettered").counter())
                .isNotNull();
    }

    @Test
    void scrape_showsEveryMeterInPrometheusForm_zeroBeforeTheFirstEvent() {
        Metrics m = withEveryGauge();
        m.ingestEvents(Metrics.IngestSource.DATAVERSE, Metrics.IngestResult.ACCEPTED).increment();
        m.ingestEvents(Metrics.IngestSource.DATAVERSE, Metrics.IngestResult.ACCEPTED).increment();
        m.recordSyncLatency(Side.FO, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00.040Z"));

        String text = m.scrape();

        assertThat(text).contains(
                "# HELP dualsync_ingest_events_total Change events received",
                "dualsync_ingest_events_total{result=\"accepted\",source=\"dataverse\"} 2.0",
                "dualsync_ingest_events_total{result=\"too_large\",source=\"events\"} 0.0",
                "dualsync_apply_events_total{result=\"applied\",target=\"fo\"} 0.0",
                "# TYPE dualsync_sync_latency_seconds histogram",
                "dualsync_sync_latency_seconds_count{target=\"fo\"} 1",
                "dualsync_sync_latency_seconds_bucket{target=\"fo\",le=\"+Inf\"} 1",
                "dualsync_journal_lag_events{reader=\"apply\"} 3.0",
                "dualsync_journal_lag_seconds{reader=\"apply\"} 1.5",
                "dualsync_apply_inflight{target=\"fo\"} 3.0",
                "dualsync_apply_concurrency_limit{target=\"dataverse\"} 52.0",
                "dualsync_apply_retries_total{reason=\"throttled\",target=\"dataverse\"} 0.0",
                "dualsync_deadletters 2.0",
                "dualsync_conflicts_total{outcome=\"fo_won\",policy=\"fo-wins\"} 1.0",
                "dualsync_echoes_suppressed_total{source=\"dataverse\"} 0.0",
                "dualsync_dedup_drops_total{reason=\"redelivery\",source=\"fo\"} 0.0");
        assertThat(text).as("histogram, not client-side percentiles").doesNotContain("quantile=");
    }

    @Test
    void latencyHistogram_isBoundedByItsExpectedRange() {
        Metrics m = new Metrics();
        m.recordSyncLatency(Side.DATAVERSE, Instant.EPOCH, Instant.EPOCH.plusMillis(30));

        List<String> bounds = m.scrape().lines()
                .filter(l -> l.startsWith("dualsync_sync_latency_seconds_bucket{target=\"dataverse\""))
                .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList();
        assertThat(bounds).contains("+Inf").hasSizeLessThan(100);
        double largestFinite = bounds.stream().filter(b -> !b.equals("+Inf")).mapToDouble(Double::parseDouble).max().orElseThrow();
        double smallest = bounds.stream().filter(b -> !b.equals("+Inf")).mapToDouble(Double::parseDouble).min().orElseThrow();
        assertThat(largestFinite).isLessThanOrEqualTo(Metrics.LATENCY_MAX.toMillis() / 1000.0 * 1.5);
        assertThat(smallest).isGreaterThanOrEqualTo(Metrics.LATENCY_MIN.toMillis() / 1000.0);
    }

    @Test
    void latencyAcrossSkewedClocks_isRecordedAsZeroNotDropped() {
        Metrics m = new Metrics();
        m.recordSyncLatency(Side.FO, Instant.EPOCH.plusSeconds(1), Instant.EPOCH);

        assertThat(m.syncLatency(Side.FO).count()).isEqualTo(1);
        assertThat(m.syncLatency(Side.FO).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
    }
}
