package io.dualsync.connector.http;

import io.dualsync.auth.TokenUnavailableException;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class AnswersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void statuses_sortIntoOutcomes() {
        assertThat(Answers.outcome(200)).isEqualTo(Outcome.OK);
        assertThat(Answers.outcome(201)).isEqualTo(Outcome.OK);
        assertThat(Answers.outcome(204)).isEqualTo(Outcome.OK);
        assertThat(Answers.outcome(401)).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(Answers.outcome(404)).isEqualTo(Outcome.NOT_FOUND);
        assertThat(Answers.outcome(412)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(Answers.outcome(429)).isEqualTo(Outcome.THROTTLED);
        assertThat(Answers.outcome(408)).isEqualTo(Outcome.RETRYABLE);
        assertThat(Answers.outcome(500)).isEqualTo(Outcome.RETRYABLE);
        assertThat(Answers.outcome(503)).isEqualTo(Outcome.RETRYABLE);
        assertThat(Answers.outcome(400)).isEqualTo(Outcome.PERMANENT);
        assertThat(Answers.outcome(403)).isEqualTo(Outcome.PERMANENT);
        assertThat(Answers.outcome(409)).isEqualTo(Outcome.PERMANENT);
    }

    @Test
    void retryAfter_inSecondsOrAsADate() {
        assertThat(Answers.retryAfter("2", CLOCK)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Answers.retryAfter(" 0.5 ", CLOCK)).isEqualTo(Duration.ofMillis(500));
        assertThat(Answers.retryAfter("-3", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(Answers.retryAfter("Thu, 01 Jan 2026 10:00:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Answers.retryAfter("Thu, 01 Jan 2026 09:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(Answers.retryAfter("soon", CLOCK)).isNull();
        assertThat(Answers.retryAfter(null, CLOCK)).isNull();
    }

    @Test
    void throttled_carriesTheWait() {
        WriteResult r = Answers.error(Outcome.THROTTLED, 429, "7", "Number of requests exceeded the limit", CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(Answers.error(Outcome.PERMANENT, 400, "7", "bad", CLOCK).retryAfter()).isNull();
    }

    @Test
    void dataverseMessage_withItsCode() {
        String body = "{\"error\":{\"code\":\"0x80048d02\",\"message\":\"A record with the specified key values does not exist in cdm_company entity\"}}";

        assertThat(Answers.message(404, body))
                .isEqualTo("A record with the specified key values does not exist in cdm_company entity (0x80048d02)");
    }

    @Test
    void foMessage_isTheInnerOne() {
        String body = "{\"error\":{\"code\":\"\",\"message\":\"An error has occurred.\",\"innererror\":{\"message\":"
                + "\"Field 'Customer group' must be filled in.\",\"type\":\"X\",\"stacktrace\":\"\"}}}";

        assertThat(Answers.message(400, body)).isEqualTo("Field 'Customer group' must be filled in.");
    }

    @Test
    void aBodyThatIsNotOData_isShownAsText() {
        assertThat(Answers.message(502, "<html>Bad gateway</html>")).isEqualTo("HTTP 502: <html>Bad gateway</html>");
        assertThat(Answers.message(503, null)).isEqualTo("HTTP 503");
    }

    @Test
    void noAnswer_isRetryable_butRejectedCredentialsAreNot() {
        assertThat(Answers.failure(new ConnectException("Connection refused")).outcome()).isEqualTo(Outcome.RETRYABLE);
        assertThat(Answers.failure(new ConnectException("Connection refused")).status()).isZero();
        assertThat(Answers.failure(new TokenUnavailableException("AADSTS7000215 invalid secret", true, null)).outcome())
                .isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(Answers.failure(new TokenUnavailableException("login unreachable", false, null)).outcome())
                .isEqualTo(Outcome.RETRYABLE);
    }
}
