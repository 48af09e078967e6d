package io.prodigy.storage.workflow;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Descriptive metadata of a workflow definition. Every field may be empty. */
public record WorkflowMetadata(
        String description, List<String> tags, String author, Map<String, ParameterDefinition> parameters) {

    public static final WorkflowMetadata EMPTY = new WorkflowMetadata(null, List.of(), null, Map.of());

    public WorkflowMetadata {
        tags = tags == null ? List.of() : List.copyOf(tags);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(parameters));
    }
}
