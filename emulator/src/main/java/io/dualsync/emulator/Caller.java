package io.dualsync.emulator;

import java.util.UUID;

/**
 * Who made a request: the application (client id) whose token was presented, and the application
 * user it acts as. Writes are attributed to {@code userId} in webhook payloads ({@code UserId},
 * {@code InitiatingUserId}) and F&O events, as the real services do.
 */
public record Caller(String tenant, String clientId, UUID userId) {

    /** The caller used when token checks are off ({@code --auth off}). */
    public static final Caller ANONYMOUS = new Caller("dualsync-dev", "anonymous",
            UUID.fromString("00000000-0000-0000-0000-000000000001"));

    /** A stable user id per application, as an application user has in Dataverse. */
    public static Caller forClient(String tenant, String clientId) {
        return new Caller(tenant, clientId, UUID.nameUUIDFromBytes(("app-user:" + clientId).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
