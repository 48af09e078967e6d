package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import io.prodigy.storage.migrate.write.IdempotentWriter;
import io.prodigy.storage.migrate.write.WriteResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports the DLQ items of a tree. The same item can be in several of the path variants (the writer's nested path,
 * the resume manager's, the docs' files): the copies of one {@code (job, item_id)} become one item; identical copies
 * count once, different ones are merged so that no failure is lost.
 */
final class DlqImport {

    private record Copy(Path file, JsonNode item) {}

    private record Key(JobRef job, String itemId) {}

    private final ImportCollector collector;
    private final IdempotentWriter writer;

    DlqImport(ImportCollector collector, IdempotentWriter writer) {
        this.collector = collector;
        this.writer = writer;
    }

    void run(List<TreeScan.DlqSource> sources) {
        Map<Key, List<Copy>> copies = new LinkedHashMap<>();
        for (TreeScan.DlqSource source : sources) {
            collect(source, copies);
        }
        copies.forEach(this::importItem);
    }

    private void collect(TreeScan.DlqSource source, Map<Key, List<Copy>> copies) {
        Path file = source.file();
        JsonNode doc;
        try {
            doc = SourceFiles.readJson(file);
        } catch (SourceFiles.InvalidFile | IOException e) {
            collector.read(SourceKind.DLQ_ITEM);
            collector.skip(SourceKind.DLQ_ITEM, file, 0, e instanceof IOException ? "cannot be read: "
                    + e.getMessage() : e.getMessage());
            return;
        }
        List<JsonNode> items = DlqItemMapper.items(doc);
        boolean single = items.size() == 1 && !doc.isArray() && !doc.has("items");
        for (JsonNode item : items) {
            collector.read(SourceKind.DLQ_ITEM);
            String id = Nodes.id(item, "item_id");
            if (id == null && single) {
                id = Nodes.stem(file.getFileName().toString(), ".json");
            }
            if (id == null || Ids.problem(id) != null) {
                collector.skip(SourceKind.DLQ_ITEM, file, 0, "no valid item_id " + item.path("item_id"));
                continue;
            }
            copies.computeIfAbsent(new Key(source.job(), id), k -> new ArrayList<>()).add(new Copy(file, item));
        }
    }

    private void importItem(Key key, List<Copy> copies) {
        Map<String, Copy> distinct = new LinkedHashMap<>();
        for (Copy c : copies) {
            distinct.putIfAbsent(CanonicalJson.write(c.item()), c);
        }
        Copy first = copies.get(0);
        JsonNode item;
        Path file;
        if (distinct.size() == 1) {
            item = first.item();
            file = first.file();
            copies.subList(1, copies.size()).forEach(c -> collector.skip(SourceKind.DLQ_ITEM, c.file(), 0,
                    "identical copy of item " + key.itemId() + " in " + collector.relative(first.file())));
        } else {
            item = DlqItemMapper.merge(copies.stream().map(Copy::item).toList());
            file = first.file();
            Set<Path> paths = new LinkedHashSet<>();
            copies.forEach(c -> paths.add(collector.relative(c.file())));
            collector.warn("DLQ item " + key.itemId() + " of " + key.job() + " was found in " + copies.size()
                    + " different copies " + paths + "; their failure histories were merged");
            copies.subList(1, copies.size()).forEach(c -> collector.skip(SourceKind.DLQ_ITEM, c.file(), 0,
                    "merged into one item with the copy in " + collector.relative(first.file())));
        }
        DlqItemMapper.Result r = ProdigyImporter.mapped(() -> DlqItemMapper.map(key.job(), item, key.itemId()),
                reason -> new DlqItemMapper.Result(null, reason));
        if (r.skipReason() != null) {
            collector.skip(SourceKind.DLQ_ITEM, file, 0, r.skipReason());
            return;
        }
        DlqItem desired = r.item();
        WriteResult w = writer.dlqItem(desired);
        collector.written(SourceKind.DLQ_ITEM, w, file);
        if (!w.isConflict()) {
            collector.manifest().dlqItem(desired);
        }
    }
}
