package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The workflow definition every demo job is an execution of, stored once (as a Prodigy MapReduce workflow). */
final class DemoWorkflow {

    static final String ID = "demo-wordcount";

    private DemoWorkflow() {}

    /** Stores the definition unless it is there already. */
    static void ensureStored(UnifiedStorage storage, Instant now) {
        if (storage.workflows().load(ID).isPresent()) {
            return;
        }
        ObjectNode content = Json.nodes().objectNode();
        content.put("name", "demo-wordcount");
        content.put("mode", "mapreduce");
        content.putArray("setup").addObject().put("shell", "ls corpus/*.txt > items.json");
        ObjectNode map = content.putObject("map");
        map.put("input", "items.json");
        map.put("max_parallel", 4);
        map.putArray("agent_template").addObject().put("shell", "count-words ${item.path}");
        content.putArray("reduce").addObject().put("shell", "merge-counts ${map.results}");
        WorkflowMetadata meta = new WorkflowMetadata("Counts words in a corpus: the workload of"
                + " 'prodigy-storage demo'.", List.of("demo", "mapreduce"), "prodigy-storage", Map.of());
        try {
            storage.workflows().save(new WorkflowDefinition(ID, "demo-wordcount", "1.0", now, now, content, meta, 0));
        } catch (io.prodigy.storage.error.VersionConflictException storedMeanwhile) {
            // another demo process stored it first: same definition, nothing to do
        }
    }
}
