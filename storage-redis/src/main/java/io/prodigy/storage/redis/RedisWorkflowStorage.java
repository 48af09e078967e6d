package io.prodigy.storage.redis;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Workflow definitions: a hash per definition ({@code body}, {@code rev}, {@code upd}, {@code ix}) written by the
 * shared record script, with indexes of {@code (createdAt, id)}: all, per name, per tag and per author. Executions:
 * a hash per workflow (execution id → start time code + JSON) and an index of {@code (startedAt, id)}; deleting the
 * definition deletes both in the same script. {@link #list} reads each page's definitions and execution counts
 * ({@code HLEN}) in one pipelined round trip.
 */
final class RedisWorkflowStorage implements WorkflowStorage {

    static final String KIND = "workflow";

    private final RedisClient client;
    private final Keys keys;
    private final Records records;

    RedisWorkflowStorage(RedisClient client, Keys keys, Records records) {
        this.client = client;
        this.keys = keys;
        this.records = records;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        Arguments.record("Workflow definition", definition);
        String member = TimeCode.of(definition.createdAt()) + definition.id();
        IndexEntries index = new IndexEntries()
                .add(keys.allWorkflows(), member)
                .add(keys.workflowsNamed(definition.name()), member);
        if (definition.metadata().author() != null) {
            index.add(keys.workflowsBy(definition.metadata().author()), member);
        }
        for (String tag : new LinkedHashSet<>(definition.metadata().tags())) {
            index.add(keys.workflowsTagged(tag), member);
        }
        Records.Saved saved = records.save(KIND, definition.id(), keys.workflow(definition.id()), fence,
                definition.revision(), Codec.write(definition, "workflow '" + definition.id() + "'"), index);
        if (saved.written()) {
            return definition.stored(saved.revision(), TimeCode.ofMicros(saved.stampMicros()));
        }
        List<String> c = saved.current();
        WorkflowDefinition current = decode(keys.workflow(definition.id()),
                Arrays.asList(c.get(0), Long.toString(saved.revision()), c.get(1)));
        return Revisions.workflow(definition, current, Instant.EPOCH).record();
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        String key = keys.workflow(id);
        List<String> f = client.read("loading workflow '" + id + "'", j -> j.hmget(key, "body", "rev", "upd"));
        return Optional.ofNullable(decode(key, f));
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        Orders.WORKFLOWS.position(page);
        String index = f.name() != null ? keys.workflowsNamed(f.name())
                : f.tag() != null ? keys.workflowsTagged(f.tag())
                : f.author() != null ? keys.workflowsBy(f.author()) : keys.allWorkflows();
        return IndexScan.page(client, "listing workflows", index, TimeCode.after(f.after()),
                TimeCode.before(f.before()), Orders.WORKFLOWS, page, members -> fetch(members).stream()
                        .filter(l -> f.matches(l.definition())).map(l -> {
                            WorkflowDefinition w = l.definition();
                            return new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                                    l.executions(), w.revision());
                        }).toList(), info -> true);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        return records.delete(KIND, id, keys.workflow(id), fence, keys.executions(id), keys.executionIndex(id));
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        Arguments.present(execution, "Workflow execution is missing: pass the execution to record.");
        String wf = execution.workflowId();
        Reply r = Reply.of(client.script("recording execution '" + execution.id() + "' of workflow '" + wf + "'",
                Script.WF_EXEC, List.of(keys.workflow(wf), keys.executions(wf), keys.executionIndex(wf),
                        Fences.key(keys, fence)),
                List.of(execution.id(), TimeCode.of(execution.startedAt()),
                        Codec.write(execution, "execution '" + execution.id() + "'"), Fences.token(fence))));
        Fences.throwIfFenced(r, fence, "execution '" + execution.id() + "' of workflow '" + wf + "'");
        if (r.is("NOTFOUND")) {
            throw new NotFoundException(KIND, wf);
        }
        return execution;
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Ids.check("workflow id", workflowId);
        var keyset = Orders.executionsOf(workflowId);
        keyset.position(page);
        String key = keys.executions(workflowId);
        String what = "listing executions of workflow '" + workflowId + "'";
        return IndexScan.page(client, what, keys.executionIndex(workflowId), "-", "+", keyset, page, members -> {
            if (members.isEmpty()) {
                return List.of();
            }
            List<String> values = client.read(what,
                    j -> j.hmget(key, members.stream().map(IndexScan::idOf).toArray(String[]::new)));
            List<WorkflowExecution> out = new ArrayList<>(values.size());
            for (String value : values) {
                if (value != null) {
                    out.add(Codec.read(value.substring(TimeCode.LENGTH), WorkflowExecution.class, key));
                }
            }
            return out;
        }, execution -> true);
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        String key = keys.executions(workflowId);
        return client.read("counting executions of workflow '" + workflowId + "'", j -> j.hlen(key));
    }

    /** A definition with its execution count. */
    private record Listed(WorkflowDefinition definition, long executions) {}

    private List<Listed> fetch(List<String> members) {
        return client.read("listing workflows", j -> {
            List<Response<List<String>>> bodies = new ArrayList<>(members.size());
            List<Response<Long>> counts = new ArrayList<>(members.size());
            try (Pipeline p = j.pipelined()) {
                for (String m : members) {
                    String id = IndexScan.idOf(m);
                    bodies.add(p.hmget(keys.workflow(id), "body", "rev", "upd"));
                    counts.add(p.hlen(keys.executions(id)));
                }
            }
            List<Listed> out = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                WorkflowDefinition w = decode(keys.workflow(IndexScan.idOf(members.get(i))), bodies.get(i).get());
                if (w != null) {
                    out.add(new Listed(w, counts.get(i).get()));
                }
            }
            return out;
        });
    }

    private static WorkflowDefinition decode(String key, List<String> f) {
        if (f.get(0) == null) {
            return null;
        }
        return Codec.read(f.get(0), WorkflowDefinition.class, key).stored(Long.parseLong(f.get(1)),
                TimeCode.ofMicros(f.get(2)));
    }
}
