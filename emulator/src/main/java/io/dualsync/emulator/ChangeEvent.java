package io.dualsync.emulator;

import java.time.Instant;
import java.util.Map;

/**
 * One committed write to an emulator's store, as webhooks and F&O events need it.
 *
 * @param entitySet      entity set written ({@code accounts}, {@code CustomersV3})
 * @param message        Create, Update or Delete
 * @param id             the row's id: the Dataverse primary id, or the F&O key as text
 * @param target         the attributes the request wrote (for Delete: none)
 * @param preImage       the whole row before the write (null for Create)
 * @param postImage      the whole row after the write (null for Delete)
 * @param caller         who wrote it
 * @param correlationId  the request's correlation id
 * @param sharedVariables Dataverse {@code ?tag=} and similar values passed on to plug-ins and webhooks
 * @param rowVersion     the row version the write produced
 */
public record ChangeEvent(String entitySet, Message message, String id, Map<String, Object> target,
                          Map<String, Object> preImage, Map<String, Object> postImage, Caller caller,
                          String correlationId, Map<String, Object> sharedVariables, long rowVersion, Instant time) {

    public enum Message { Create, Update, Delete }
}
