package io.dualsync.emulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the two emulators, with the documented defaults (docs/emulators.md). Plain mutable
 * fields so tests and the CLI can set what they need before {@link Emulators#start}.
 */
public final class EmulatorOptions {
    /** Loopback only: the emulators are test doubles, never exposed. */
    public String host = "127.0.0.1";
    public int foPort = 7071;
    public int dataversePort = 7072;
    /** {@code demo} loads companies, currencies, groups and customers; {@code none} starts empty. */
    public String seed = "none";
    /** Folder of {@code *.schema.json} entity schemas; null for the built-in ones. */
    public Path schemaDir;

    // Identity (see identity package): the development identity works out of the box.
    public boolean auth = true;
    public int tokenLifetimeSeconds = 3599;
    public String devTenant = "dualsync-dev";
    public String devClientId = "dualsync-dev";
    public String devClientSecret = "dualsync-dev-secret";
    /** More applications allowed to get tokens. */
    public final List<Client> clients = new ArrayList<>();

    // F&O.
    /** The company callers see without {@code cross-company=true}. */
    public String foDefaultCompany = "usmf";
    public int foMaxPageSize = 10_000;
    /** Priority-based throttling: requests per user per {@link #foThrottleWindowSeconds}; 0 = off. */
    public int foThrottleRequests = 0;
    public int foThrottleWindowSeconds = 60;

    // Dataverse.
    public int dataverseMaxPageSize = 5_000;
    /** Service protection limits per user per sliding window (api-limits.md). */
    public int limitRequests = 6_000;
    public int limitExecutionSeconds = 1_200;
    public int limitConcurrent = 52;
    public int limitWindowSeconds = 300;
    /** How long a change-tracking token stays valid (Dataverse keeps them for a limited time). */
    public int changeTrackingRetentionSeconds = 7 * 24 * 3600;

    // Webhooks and events.
    public int webhookTimeoutSeconds = 60;

    /** Dataverse webhook registrations made at start (see Webhooks#register for the fields). */
    public final List<io.vertx.core.json.JsonObject> webhooks = new ArrayList<>();
    /** F&O event endpoints registered at start (see FoEvents#register for the fields). */
    public final List<io.vertx.core.json.JsonObject> eventEndpoints = new ArrayList<>();

    /** An application registration: a client secret, or a certificate (PEM) for signed assertions. */
    public record Client(String tenant, String clientId, String secret, Path certificatePem) {
    }
}
