package io.dualsync.journal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatermarkTest {

    @Test
    void position_isTheStart_untilSomethingIsDelivered() {
        assertThat(new Watermark(40).position()).isEqualTo(40);
    }

    @Test
    void position_staysAtTheLowestUncommitted_whileLaterOnesCommit() {
        Watermark w = new Watermark(0);
        for (long i = 10; i < 15; i++) {
            w.delivered(i);
        }
        assertThat(w.commit(12)).isTrue();
        assertThat(w.commit(14)).isTrue();
        assertThat(w.position()).isEqualTo(10);
        assertThat(w.commit(10)).isTrue();
        assertThat(w.position()).isEqualTo(11);
        assertThat(w.commit(11)).isTrue();
        assertThat(w.position()).isEqualTo(13);
        assertThat(w.commit(13)).isTrue();
        assertThat(w.position()).as("all committed: after the last delivered").isEqualTo(15);
        assertThat(w.committedCount()).isEqualTo(5);
        assertThat(w.outstandingCount()).isZero();
    }

    @Test
    void commit_twiceOrOfAnOldIndex_countsOnce() {
        Watermark w = new Watermark(5);
        w.delivered(5);
        assertThat(w.commit(5)).isTrue();
        assertThat(w.commit(5)).isFalse();
        assertThat(w.commit(3)).isFalse();
        assertThat(w.committedCount()).isEqualTo(1);
    }

    @Test
    void commit_ofAnIndexNeverDelivered_isRefused() {
        Watermark w = new Watermark(5);
        w.delivered(5);
        assertThatThrownBy(() -> w.commit(6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never delivered");
    }

    @Test
    void delivered_outOfOrder_isABug() {
        Watermark w = new Watermark(0);
        w.delivered(7);
        assertThatThrownBy(() -> w.delivered(7)).isInstanceOf(IllegalStateException.class);
    }
}
