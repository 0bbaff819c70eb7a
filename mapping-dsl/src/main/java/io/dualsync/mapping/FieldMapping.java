package io.dualsync.mapping;

import java.util.List;
import java.util.Map;

/**
 * One field line of a checked map, as the engine, {@code check --json} and reviewers see it.
 *
 * @param foField        F&O field path, or null for {@code none}
 * @param dataverseField Dataverse field path (a lookup is {@code column.relatedKey}), or null for {@code none}
 * @param direction      which way the value flows
 * @param valueMap       F&O value to Dataverse value pairs (empty when none)
 * @param defaults       per direction, the value used when the source is null or {@code none}; a
 *                       direction is absent when the field has no default that way (values may be null)
 * @param transforms     per direction, the pipeline as written (a derived inverse reads {@code inverse(t)})
 * @param type           the declared {@code as} type, or null
 * @param conflict       this field's own conflict policy, or null to use the map's
 * @param company        true for the {@code company} line
 */
public record FieldMapping(String foField, String dataverseField, FieldDirection direction,
                           List<ValuePair> valueMap, Map<Direction, Object> defaults,
                           Map<Direction, List<String>> transforms, String type, ConflictPolicy conflict,
                           boolean company, Span span) {

    /** A row of a value map: the F&O value and the Dataverse value it stands for. */
    public record ValuePair(Object fo, Object dataverse) {
    }

    public boolean flows(Direction d) {
        return direction.flows(d);
    }

    public String sourceField(Direction d) {
        return d == Direction.FO_TO_DATAVERSE ? foField : dataverseField;
    }

    public String targetField(Direction d) {
        return d == Direction.FO_TO_DATAVERSE ? dataverseField : foField;
    }
}
