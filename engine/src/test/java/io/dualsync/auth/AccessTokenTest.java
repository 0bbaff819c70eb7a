package io.dualsync.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void anHourLongToken_isRefreshedFiveMinutesBeforeItExpires() {
        AccessToken t = new AccessToken("x", T0, T0.plusSeconds(3599));

        assertThat(t.refreshAt(FIVE_MINUTES)).isEqualTo(T0.plusSeconds(3599 - 300));
        assertThat(t.dueForRefresh(T0.plusSeconds(3298), FIVE_MINUTES)).isFalse();
        assertThat(t.dueForRefresh(T0.plusSeconds(3299), FIVE_MINUTES)).isTrue();
    }

    @Test
    void aShortLivedToken_isRefreshedHalfwayThroughItsLifetime() {
        AccessToken t = new AccessToken("x", T0, T0.plusSeconds(120));

        assertThat(t.refreshAt(FIVE_MINUTES)).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aTokenAboutToExpire_isNotSentAnyMore() {
        AccessToken t = new AccessToken("x", T0, T0.plusSeconds(3599));

        assertThat(t.usable(T0.plusSeconds(3593))).isTrue();
        assertThat(t.usable(T0.plusSeconds(3594))).isFalse();
        assertThat(t.usable(T0.plusSeconds(4000))).isFalse();
    }

    @Test
    void toString_neverShowsTheToken() {
        assertThat(new AccessToken("secret-token-text", T0, T0.plusSeconds(60)).toString()).doesNotContain("secret-token-text");
    }
}
