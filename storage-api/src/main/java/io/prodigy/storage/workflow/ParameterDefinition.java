package io.prodigy.storage.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/** A declared workflow parameter. {@code defaultValue} may be {@code null}. */
public record ParameterDefinition(
        String name, String typeName, boolean required, JsonNode defaultValue, String description) {}
