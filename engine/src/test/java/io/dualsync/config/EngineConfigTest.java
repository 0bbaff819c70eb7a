package io.dualsync.config;

import io.dualsync.journal.Durability;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EngineConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    @TempDir
    Path dir;

    /** The smallest valid file: both systems with a secret; everything else defaults. */
    private static final String MINIMAL = String.join("\n",
            "fo:",
            "  baseUrl: https://usmf.operations.dynamics.com/",
            "  tenant: contoso.onmicrosoft.com",
            "  clientId: fo-app",
            "  clientSecret: ${FO_SECRET}",
            "dataverse:",
            "  baseUrl: https://contoso.crm.dynamics.com",
            "  tenant: contoso.onmicrosoft.com",
            "  clientId: dv-app",
            "  clientSecret: ${DV_SECRET:-fallback-secret}",
            "");

    private EngineConfig parse(String yaml, Function<String, String> env) throws IOException {
        Files.createDirectories(dir.resolve("maps"));
        return EngineConfig.parse(yaml, "dualsync.yaml", dir, env);
    }

    private ConfigException problems(String yaml, Function<String, String> env) throws IOException {
        Files.createDirectories(dir.resolve("maps"));
        return catchThrowableOfType(ConfigException.class, () -> EngineConfig.parse(yaml, "dualsync.yaml", dir, env));
    }

    @Test
    void minimalFile_givesEveryDocumentedDefault() throws IOException {
        EngineConfig c = parse(MINIMAL, Map.of("FO_SECRET", "s3cret")::get);

        assertThat(c.get(ConfigKeys.SERVER_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(ConfigKeys.SERVER_PORT)).isEqualTo(8080);
        assertThat(c.get(ConfigKeys.SERVER_MAX_BODY_BYTES)).isEqualTo(1_048_576);
        assertThat(c.get(ConfigKeys.JOURNAL_DIR)).isEqualTo(dir.resolve("data/journal"));
        assertThat(c.get(ConfigKeys.JOURNAL_DURABILITY)).isEqualTo(Durability.PROCESS);
        assertThat(c.get(ConfigKeys.JOURNAL_MAX_UNCONSUMED)).isEqualTo(100_000);
        assertThat(c.get(ConfigKeys.JOURNAL_RETENTION)).isEqualTo(Duration.ofDays(7));
        assertThat(c.get(ConfigKeys.MAPS_DIR)).isEqualTo(dir.resolve("maps"));
        assertThat(c.find(ConfigKeys.MAPS_SCHEMAS)).isEmpty();
        assertThat(c.get(ConfigKeys.APPLY_MAX_CONCURRENCY_DATAVERSE)).isEqualTo(52);
        assertThat(c.get(ConfigKeys.APPLY_MAX_CONCURRENCY_FO)).isEqualTo(32);
        assertThat(c.get(ConfigKeys.APPLY_RETRY_INITIAL_BACKOFF)).isEqualTo(Duration.ofMillis(200));
        assertThat(c.get(ConfigKeys.APPLY_RETRY_MAX_BACKOFF)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(ConfigKeys.APPLY_RETRY_DEADLINE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(ConfigKeys.APPLY_LANES)).isEqualTo(16);
        assertThat(c.get(ConfigKeys.APPLY_QUEUE_PER_TARGET)).isEqualTo(1000);
        assertThat(c.get(ConfigKeys.ECHO_CACHE_SIZE)).isEqualTo(100_000);
        assertThat(c.get(ConfigKeys.ECHO_TTL)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(ConfigKeys.SHUTDOWN_DRAIN_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dataverseWebhookAuth()).isEqualTo(InboundAuth.NONE);

        SystemConfig fo = c.fo();
        assertThat(fo.side()).isEqualTo(Side.FO);
        assertThat(fo.baseUrl()).isEqualTo(URI.create("https://usmf.operations.dynamics.com"));
        assertThat(fo.authority()).isEqualTo(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/"));
        assertThat(fo.scope()).isEqualTo("https://usmf.operations.dynamics.com/.default");
        assertThat(fo.clientSecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("s3cret"));
        assertThat(fo.tokenHost()).isEmpty();
        assertThat(c.dataverse().clientSecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("fallback-secret"));
    }

    @Test
    void everyProblem_isReportedAtOnce_withFileLineAndKeyPath() throws IOException {
        String yaml = String.join("\n",
                /* 1 */ "fo:",
                /* 2 */ "  baseUrl: usmf.operations.dynamics.com",
                /* 3 */ "  tenant: contoso",
                /* 4 */ "  clientSecret: ${FO_SECRET}",
                /* 5 */ "  clientId: fo-app",
                /* 6 */ "dataverse:",
                /* 7 */ "  baseURL: https://contoso.crm.dynamics.com",
                /* 8 */ "  tenant: contoso",
                /* 9 */ "  clientId: dv-app",
                /* 10 */ "  certificate:",
                /* 11 */ "    key: missing.pem",
                /* 12 */ "journal:",
                /* 13 */ "  durability: disk",
                /* 14 */ "  retention: 7 days",
                /* 15 */ "server:",
                /* 16 */ "  prot: 8080",
                /* 17 */ "apply:",
                /* 18 */ "  maxConcurrency:",
                /* 19 */ "    dataverse: 60",
                /* 20 */ "  lanes: many",
                /* 21 */ "webhooks:",
                /* 22 */ "  dataverse:",
                /* 23 */ "    auth:",
                /* 24 */ "      type: HttpHeader",
                /* 25 */ "      value: ${DV_HOOK_KEY}",
                /* 26 */ "businessEvents:",
                /* 27 */ "  - id: CustomerChangedBusinessEvent",
                /* 28 */ "    entity: CustomersV3",
                "");

        ConfigException e = problems(yaml, NO_ENV);

        assertThat(e.getMessage()).isEqualTo(String.join("\n",
                "dualsync.yaml:2: fo.baseUrl: expected an http or https URL with a host, got `usmf.operations.dynamics.com`",
                "dualsync.yaml:4: fo.clientSecret: environment variable FO_SECRET is not set (export it, or write ${FO_SECRET:-default} to give a default)",
                "dualsync.yaml:6: dataverse.baseUrl: missing (required), e.g. `dataverse.baseUrl: https://contoso.crm.dynamics.com`",
                "dualsync.yaml:7: dataverse.baseURL: unknown key; did you mean `dataverse.baseUrl`?",
                "dualsync.yaml:11: dataverse.certificate.key: `missing.pem` (" + dir.resolve("missing.pem") + ") does not exist",
                "dualsync.yaml:13: journal.durability: expected one of process, power, got `disk`",
                "dualsync.yaml:14: journal.retention: `7 days`: unknown unit `days` (use ms, s, m, h or d, or ISO-8601 like PT30S)",
                "dualsync.yaml:16: server.prot: unknown key; did you mean `server.port`?",
                "dualsync.yaml:19: apply.maxConcurrency.dataverse: must be between 1 and 52, got 60",
                "dualsync.yaml:20: apply.lanes: expected a whole number, got `many`",
                "dualsync.yaml:23: webhooks.dataverse.auth.name: missing: HttpHeader needs the header name",
                "dualsync.yaml:25: webhooks.dataverse.auth.value: environment variable DV_HOOK_KEY is not set (export it, or write ${DV_HOOK_KEY:-default} to give a default)",
                "dualsync.yaml:26: businessEvents: moved to the maps: bind each F&O business event in the map of its entity, e.g. `event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount` (docs/mapping-language.md, \"Business events\"), and remove businessEvents from this file",
                "13 problems in the configuration; nothing was started"));
        assertThat(e.problems()).extracting(ConfigProblem::line).isSorted();
    }

    @Test
    void environmentVariables_areSubstitutedInsideValues_withDefaultsAndEscapes() throws IOException {
        String yaml = MINIMAL + String.join("\n",
                "server:",
                "  host: ${HOST:-0.0.0.0}",
                "  port: ${PORT}",
                "identity:",
                "  tag: pre-${TAG_PART}-$${literal}",
                "");
        EngineConfig c = parse(yaml, Map.of("FO_SECRET", "x", "PORT", "9090", "TAG_PART", "mid", "HOST", "")::get);

        assertThat(c.get(ConfigKeys.SERVER_PORT)).isEqualTo(9090);
        assertThat(c.get(ConfigKeys.SERVER_HOST)).as("an empty variable takes the :- default, as in a shell").isEqualTo("0.0.0.0");
        assertThat(c.get(ConfigKeys.IDENTITY_TAG)).isEqualTo("pre-mid-${literal}");
    }

    @Test
    void secrets_neverAppearInDescribeToStringOrMessages() throws IOException {
        String yaml = MINIMAL + String.join("\n",
                "webhooks:",
                "  dataverse:",
                "    auth: {type: WebhookKey, value: hook-key-value}",
                "");
        EngineConfig c = parse(yaml, Map.of("FO_SECRET", "fo-secret-value")::get);

        assertThat(c.describe())
                .contains("fo.clientSecret", "webhooks.dataverse.auth.value", "****")
                .contains("fo.baseUrl", "https://usmf.operations.dynamics.com", "server.port", "8080   # default")
                .contains("fo.authority", "https://login.microsoftonline.com/contoso.onmicrosoft.com/")
                .doesNotContain("fo-secret-value", "fallback-secret", "hook-key-value");
        assertThat(c.toString()).doesNotContain("fo-secret-value", "fallback-secret", "hook-key-value");
        assertThat(c.fo().toString()).doesNotContain("fo-secret-value");
        assertThat(c.dataverseWebhookAuth().toString()).isEqualTo("WebhookKey ****");
        assertThat(c.dataverseWebhookAuth().accepts(h -> null, q -> q.equals("code") ? "hook-key-value" : null)).isTrue();
        assertThat(c.dataverseWebhookAuth().accepts(h -> null, q -> "hook-key-valuX")).isFalse();

        // A secret with a bad value: the problem names the key, never the text.
        ConfigException e = problems(MINIMAL.replace("${FO_SECRET}", "\"\""), NO_ENV);
        assertThat(e.getMessage()).contains("dualsync.yaml:5: fo.clientSecret: invalid secret value (****)");
        ConfigException malformed = problems(MINIMAL.replace("${FO_SECRET}", "hunter2${not a name}"), NO_ENV);
        assertThat(malformed.getMessage()).contains("dualsync.yaml:5: fo.clientSecret: a ${...} reference")
                .doesNotContain("hunter2", "not a name");
    }

    @Test
    void describe_saysWhereEachValueComesFrom() throws IOException {
        EngineConfig c = parse(MINIMAL + "server:\n  port: 9000\n", Map.of("FO_SECRET", "x")::get);

        assertThat(c.describe().lines())
                .contains("server.port                    = 9000   # line 12")
                .contains("server.host                    = 127.0.0.1   # default")
                .contains("fo.tokenHost                   = (not set)");
        assertThat(c.isSet(ConfigKeys.SERVER_PORT)).isTrue();
        assertThat(c.isSet(ConfigKeys.SERVER_HOST)).isFalse();
    }

    @Test
    void durations_acceptIsoAndShortForms() throws IOException {
        String yaml = MINIMAL + String.join("\n",
                "apply:",
                "  retry: {initialBackoff: 500ms, maxBackoff: PT45S, deadline: 2h}",
                "  requestTimeout: 1.5s",
                "");
        EngineConfig c = parse(yaml, Map.of("FO_SECRET", "x")::get);

        assertThat(c.get(ConfigKeys.APPLY_RETRY_INITIAL_BACKOFF)).isEqualTo(Duration.ofMillis(500));
        assertThat(c.get(ConfigKeys.APPLY_RETRY_MAX_BACKOFF)).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.get(ConfigKeys.APPLY_RETRY_DEADLINE)).isEqualTo(Duration.ofHours(2));
        assertThat(c.get(ConfigKeys.APPLY_REQUEST_TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void flatDottedKeys_areTheSameKeys_andSettingOneTwiceIsAProblem() throws IOException {
        EngineConfig c = parse(MINIMAL + "server.port: 7000\njournal.durability: power\n", Map.of("FO_SECRET", "x")::get);
        assertThat(c.get(ConfigKeys.SERVER_PORT)).isEqualTo(7000);
        assertThat(c.get(ConfigKeys.JOURNAL_DURABILITY)).isEqualTo(Durability.POWER);

        ConfigException e = problems(MINIMAL + "server.port: 7000\nserver:\n  port: 7001\n", Map.of("FO_SECRET", "x")::get);
        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .containsExactly("dualsync.yaml:13: server.port: set twice (first on line 11); keep one");
    }

    @Test
    void credentials_needExactlyOneOfSecretOrCertificate() throws IOException {
        Files.writeString(dir.resolve("fo.key.pem"), "key");
        Files.writeString(dir.resolve("fo.cert.pem"), "cert");
        String certificate = MINIMAL.replace("  clientSecret: ${FO_SECRET}\n",
                "  certificate:\n    key: fo.key.pem\n    cert: fo.cert.pem\n");
        EngineConfig c = parse(certificate, NO_ENV);
        assertThat(c.fo().clientSecret()).isEmpty();
        assertThat(c.fo().certificateKey()).contains(dir.resolve("fo.key.pem"));
        assertThat(c.fo().certificateCert()).contains(dir.resolve("fo.cert.pem"));

        ConfigException none = problems(MINIMAL.replace("  clientSecret: ${FO_SECRET}\n", ""), NO_ENV);
        assertThat(none.problems()).extracting(ConfigProblem::toString).containsExactly(
                "dualsync.yaml:1: fo.clientSecret: no credential: set fo.clientSecret (e.g. `${FO_CLIENT_SECRET}`) or "
                        + "fo.certificate.key and fo.certificate.cert");

        ConfigException both = problems(MINIMAL.replace("  clientSecret: ${FO_SECRET}\n",
                "  clientSecret: x\n  certificate: {key: fo.key.pem}\n"), NO_ENV);
        assertThat(both.problems()).extracting(ConfigProblem::toString).containsExactly(
                "dualsync.yaml:5: fo.clientSecret: set either fo.clientSecret or fo.certificate, not both");
    }

    @Test
    void inboundAuth_isCheckedAsAWhole() throws IOException {
        String yaml = MINIMAL + String.join("\n",
                /* 11 */ "webhooks:",
                /* 12 */ "  dataverse: {auth: {type: WebhookKey, name: code, value: k}}",
                /* 13 */ "  fo: {auth: {type: WebhookKey, value: k}}",
                /* 14 */ "events: {auth: {value: k}}",
                /* 15 */ "admin: {auth: {type: HttpHeader, name: 'bad header', value: k}}",
                "");
        ConfigException e = problems(yaml, Map.of("FO_SECRET", "x")::get);

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "dualsync.yaml:12: webhooks.dataverse.auth.name: WebhookKey always uses the query parameter `code`: remove webhooks.dataverse.auth.name",
                "dualsync.yaml:13: webhooks.fo.auth.type: expected one of none, HttpHeader, got `WebhookKey`",
                "dualsync.yaml:14: events.auth.value: is set but events.auth.type is none: set the type (none | HttpHeader) or remove it",
                "dualsync.yaml:15: admin.auth.name: `bad header` is not a valid header name (letters, digits and -_.!#$%&'*+^`|~)");
    }

    @Test
    void businessEventsKey_isAProblemSayingTheBindingsMovedToTheMaps() throws IOException {
        ConfigException e = problems(MINIMAL + String.join("\n",
                /* 11 */ "businessEvents:",
                /* 12 */ "  - {id: CustomerChangedBusinessEvent, entitySet: CustomersV3, fields: {dataAreaId: dataAreaId, CustomerAccount: CustomerAccount}}",
                ""), Map.of("FO_SECRET", "x")::get);

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "dualsync.yaml:11: businessEvents: moved to the maps: bind each F&O business event in the map of its entity, e.g. `event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount` (docs/mapping-language.md, \"Business events\"), and remove businessEvents from this file");
    }

    @Test
    void missingMapsFolder_isAProblemEvenWhenLeftToTheDefault() throws IOException {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> EngineConfig.parse(MINIMAL, "dualsync.yaml", dir, Map.of("FO_SECRET", "x")::get));

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "dualsync.yaml:1: maps.dir: `maps` (" + dir.resolve("maps") + ") does not exist (the default; set maps.dir to another folder)");
    }

    @Test
    void yamlSyntaxErrors_sayWhere() throws IOException {
        ConfigException e = problems("fo:\n  baseUrl: [unclosed\nserver:\n", NO_ENV);

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).toString()).startsWith("dualsync.yaml:3: yaml: not valid YAML:");
    }

    @Test
    void emptyFile_reportsEveryRequiredKey() throws IOException {
        ConfigException e = problems("", NO_ENV);

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(
                "fo.baseUrl", "fo.tenant", "fo.clientId", "dataverse.baseUrl", "dataverse.tenant", "dataverse.clientId",
                "fo.clientSecret", "dataverse.clientSecret");
    }

    @Test
    void exampleFile_loads() {
        Path example = Path.of("..", "examples", "dualsync.yaml");

        EngineConfig c = EngineConfig.load(example, NO_ENV);

        assertThat(c.fo().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:7071"));
        assertThat(c.fo().tokenHost()).contains(URI.create("http://127.0.0.1:7071"));
        assertThat(c.get(ConfigKeys.MAPS_DIR)).isEqualTo(Path.of("..", "examples", "maps").toAbsolutePath().normalize());
        assertThat(c.dataverseWebhookAuth().type()).isEqualTo(InboundAuth.Type.WEBHOOK_KEY);
    }

    @Test
    void missingFile_isAProblemNotAStackTrace() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> EngineConfig.load(dir.resolve("nope.yaml"), NO_ENV));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly("does not exist");
    }
}
