package io.dualsync.mapping;

/**
 * A target value that is a reference to a row of another table, to be resolved by the engine:
 * for Dataverse {@code column@odata.bind = /relatedEntitySet(relatedKey='value')}.
 *
 * @param column           the lookup column on the target (msdyn_customergroupid)
 * @param relatedKey       the related table's key column the value is matched on (msdyn_groupid)
 * @param relatedEntitySet the related table's entity set when a schema says it, else null
 */
public record LookupRef(String column, String relatedKey, String relatedEntitySet) {
}
