package io.dualsync.apply;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LanesTest {

    @Test
    void aRecord_alwaysGoesToTheSameLane_andRecordsSpreadOverAllLanes() {
        Lanes<String> lanes = new Lanes<>(8, 100);
        Map<Integer, Integer> perLane = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            int lane = lanes.laneOf("customers", "US-" + i);
            assertThat(lanes.laneOf("customers", "US-" + i)).isEqualTo(lane);
            perLane.merge(lane, 1, Integer::sum);
        }
        assertThat(perLane).hasSize(8);
        assertThat(perLane.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
        assertThat(new Lanes<String>(8, 1).laneOf("customers", "US-1")).as("stable across instances")
                .isEqualTo(lanes.laneOf("customers", "US-1"));
    }

    @Test
    void aLane_holdsARecord_untilItsLastEventIsDone() {
        Lanes<String> lanes = new Lanes<>(4, 100);
        Lanes.Lane<String> lane = lanes.laneFor("customers", "rec-1");
        assertThat(lane.holds("customers", "rec-1")).isFalse();

        lane.offer("customers", "rec-1", "create");
        lane.offer("customers", "rec-1", "update");
        Lanes.Ticket<String> first = lane.poll();
        lane.done(first);

        assertThat(lane.holds("customers", "rec-1")).as("its update is still queued").isTrue();
        lane.done(lane.poll());
        assertThat(lane.holds("customers", "rec-1")).isFalse();
    }

    @Test
    void eventsOfOneRecord_comeOutInOrder_oneAtATime() {
        Lanes.Lane<String> lane = new Lanes<String>(1, 100).lane(0);
        lane.offer("customers", "A", "a1");
        lane.offer("customers", "A", "a2");
        lane.offer("customers", "A", "a3");
        Lanes.Ticket<String> t1 = lane.poll();
        assertThat(t1.item()).isEqualTo("a1");
        assertThat(lane.poll()).as("a2 waits for a1's outcome").isNull();
        lane.done(t1);
        Lanes.Ticket<String> t2 = lane.poll();
        assertThat(t2.item()).isEqualTo("a2");
        lane.done(t2);
        assertThat(lane.poll().item()).isEqualTo("a3");
    }

    @Test
    void aRecordBeingRetried_holdsBackOnlyItsOwnLaterEvents() {
        Lanes.Lane<String> lane = new Lanes<String>(1, 100).lane(0);
        lane.offer("customers", "A", "a1");
        lane.offer("customers", "A", "a2");
        lane.offer("customers", "B", "b1");
        lane.offer("customers", "C", "c1");
        lane.offer("customers", "B", "b2");
        Lanes.Ticket<String> a1 = lane.poll();
        assertThat(a1.item()).isEqualTo("a1");
        assertThat(a1.record()).isEqualTo("customers/A");
        // a1 is being retried (never done here): B and C go on, in journal order.
        List<String> others = new ArrayList<>();
        Lanes.Ticket<String> t;
        while ((t = lane.poll()) != null) {
            others.add(t.item());
            lane.done(t);
        }
        assertThat(others).containsExactly("b1", "c1", "b2");
        assertThat(lane.size()).isEqualTo(2);
        lane.done(a1);
        assertThat(lane.poll().item()).isEqualTo("a2");
    }

    @Test
    void theSameKeyUnderTwoMaps_isTwoRecords() {
        Lanes.Lane<String> lane = new Lanes<String>(1, 100).lane(0);
        lane.offer("customers", "K", "c");
        lane.offer("vendors", "K", "v");
        assertThat(lane.poll().item()).isEqualTo("c");
        assertThat(lane.poll().item()).isEqualTo("v");
    }

    @Test
    void aFullLane_refusesMore_untilAnOutcomeMakesRoom() {
        Lanes.Lane<String> lane = new Lanes<String>(1, 2).lane(0);
        assertThat(lane.offer("customers", "A", "a1")).isTrue();
        assertThat(lane.offer("customers", "B", "b1")).isTrue();
        assertThat(lane.hasRoom()).isFalse();
        assertThat(lane.offer("customers", "C", "c1")).isFalse();
        Lanes.Ticket<String> t = lane.poll();
        assertThat(lane.offer("customers", "C", "c1")).as("in flight still counts").isFalse();
        lane.done(t);
        assertThat(lane.offer("customers", "C", "c1")).isTrue();
    }

    @Test
    void aTicket_isDoneOnce() {
        Lanes.Lane<String> lane = new Lanes<String>(1, 10).lane(0);
        lane.offer("customers", "A", "a1");
        lane.offer("customers", "A", "a2");
        Lanes.Ticket<String> t = lane.poll();
        lane.done(t);
        assertThatThrownBy(() -> lane.done(t)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomInterleavings_keepPerRecordOrder_andLoseNothing() {
        Random r = new Random(7);
        Lanes<long[]> lanes = new Lanes<>(4, 10_000);
        Map<String, Long> lastDone = new HashMap<>();
        List<Lanes.Ticket<long[]>> inFlight = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        int offered = 0;
        for (long seq = 0; seq < 5000; seq++) {
            String key = "R" + r.nextInt(50);
            assertThat(lanes.laneFor("m", key).offer("m", key, new long[]{seq})).isTrue();
            offered++;
            for (int i = 0; i < 4; i++) {
                Lanes.Ticket<long[]> t = lanes.lane(i).poll();
                if (t != null) {
                    inFlight.add(t);
                }
            }
            // Complete a random subset, out of order.
            while (!inFlight.isEmpty() && r.nextInt(3) > 0) {
                Lanes.Ticket<long[]> t = inFlight.remove(r.nextInt(inFlight.size()));
                complete(lanes, t, lastDone, done);
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Lanes.Ticket<long[]> t : inFlight) {
                complete(lanes, t, lastDone, done);
                progress = true;
            }
            inFlight.clear();
            for (int i = 0; i < 4; i++) {
                Lanes.Ticket<long[]> t;
                while ((t = lanes.lane(i).poll()) != null) {
                    inFlight.add(t);
                }
            }
        }
        assertThat(done).hasSize(offered);
        for (int i = 0; i < 4; i++) {
            assertThat(lanes.lane(i).size()).isZero();
        }
    }

    private static void complete(Lanes<long[]> lanes, Lanes.Ticket<long[]> t, Map<String, Long> lastDone, Set<Long> done) {
        long seq = t.item()[0];
        Long before = lastDone.put(t.record(), seq);
        assertThat(before == null || before < seq).as("record %s: %s after %s", t.record(), seq, before).isTrue();
        done.add(seq);
        String key = t.record().substring(t.record().indexOf('/') + 1);
        lanes.laneFor("m", key).done(t);
    }
}
