package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationTest {
    private static final UnaryOperator<String> LOGICAL = n -> n.equals("accounts") ? "account" : n;

    @Test
    void defaults_allMessagesOfTheTable_asynchronous_noImages() {
        Registration r = Registration.parse(new JsonObject().put("url", "https://example.org/hook").put("entity", "accounts"), LOGICAL);
        assertThat(r.entity()).isEqualTo("account");
        assertThat(r.messages()).containsExactlyInAnyOrder(ChangeEvent.Message.values());
        assertThat(r.synchronous()).isFalse();
        assertThat(r.preImage()).isNull();
        assertThat(r.requestUrl()).isEqualTo("https://example.org/hook");
        assertThat(r.matches(update(Map.of("name", "x")), "account")).isTrue();
        assertThat(r.matches(update(Map.of("name", "x")), "contact")).isFalse();
    }

    @Test
    void filteringAttributes_applyToUpdateOnly_andReadWebApiLookupNames() {
        Registration r = Registration.parse(new JsonObject().put("url", "http://h/x").put("filteringAttributes", "Name, msdyn_customergroupid"), LOGICAL);
        assertThat(r.matches(update(Map.of("telephone1", "1")), "account")).isFalse();
        assertThat(r.matches(update(Map.of("name", "n")), "account")).isTrue();
        assertThat(r.matches(update(Map.of("_msdyn_customergroupid_value", "g")), "account")).isTrue();
        assertThat(r.matches(new ChangeEvent("accounts", ChangeEvent.Message.Create, "1", Map.of("telephone1", "1"), null, null,
                Caller.ANONYMOUS, "c", Map.of(), 1, Instant.now()), "account")).isTrue();
    }

    @Test
    void webhookKeyAndQueryString_goIntoTheUrl_headersStayOut() {
        Registration key = Registration.parse(new JsonObject().put("url", "http://h/x?a=1").put("authType", "webhookkey").put("authValue", "k y"), LOGICAL);
        assertThat(key.requestUrl()).isEqualTo("http://h/x?a=1&code=k%20y");
        assertThat(key.authHeaders()).isEmpty();
        Registration header = Registration.parse(new JsonObject().put("url", "http://h/x").put("authType", "HttpHeader")
                .put("authValue", new JsonObject().put("Key1", "Value1")), LOGICAL);
        assertThat(header.requestUrl()).isEqualTo("http://h/x");
        assertThat(header.authHeaders()).containsExactly(Map.entry("Key1", "Value1"));
        assertThat(header.toJson().encode()).doesNotContain("Value1");
    }

    @Test
    void images_byNameOrWithAttributes() {
        Registration r = Registration.parse(new JsonObject().put("url", "http://h/x").put("preImage", "before")
                .put("postImage", new JsonObject().put("attributes", new JsonArray().add("Name"))), LOGICAL);
        assertThat(r.preImage()).isEqualTo(new Registration.Image("before", java.util.Set.of()));
        assertThat(r.postImage().name()).isEqualTo("PostImage");
        assertThat(r.postImage().attributes()).containsExactly("name");
    }

    @Test
    void mistakes_areExplained() {
        assertThatThrownBy(() -> Registration.parse(new JsonObject(), LOGICAL)).hasMessageContaining("'url'");
        assertThatThrownBy(() -> Registration.parse(new JsonObject().put("url", "/relative"), LOGICAL)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Registration.parse(new JsonObject().put("url", "http://h").put("messages", "Upsert"), LOGICAL))
                .hasMessageContaining("Upsert");
        assertThatThrownBy(() -> Registration.parse(new JsonObject().put("url", "http://h").put("authType", "HttpQueryString")
                .put("authValue", "x"), LOGICAL)).hasMessageContaining("key/value");
        assertThatThrownBy(() -> Registration.parse(new JsonObject().put("url", "http://h").put("mode", "later"), LOGICAL))
                .hasMessageContaining("mode");
    }

    private static ChangeEvent update(Map<String, Object> target) {
        return new ChangeEvent("accounts", ChangeEvent.Message.Update, "1", target, null, null, Caller.ANONYMOUS, "c", Map.of(), 1,
                Instant.now());
    }
}
