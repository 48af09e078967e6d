package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paging contract of every listing: sessions, checkpoints, workflows, a workflow's executions, a job's DLQ items,
 * and the jobs that have events or DLQ items.
 *
 * <p>What is pinned, for each listing: walking it with pages of 1, 2 and 7 items returns the whole listing, once, in
 * the stated order (time, then id), the same as the unpaged {@code list}; ids that differ only in case, punctuation
 * or non-ASCII characters order by their UTF-8 bytes (what PostgreSQL {@code COLLATE "C"}, Redis and S3 do), never by
 * Java's UTF-16 {@code compareTo}; items added during a walk after the walk's position appear once and items added
 * before it never do; a cursor that was altered, made up, or taken from another listing (or from the same listing of
 * another workflow or job) is an {@code InvalidInputException}.
 *
 * <p>Every test works in a fresh worktree name, tag, scope, workflow, job or repository, so the store may be shared.
 */
public abstract class PagingContract extends StorageContractSupport {

    /** Id endings that differ in case, punctuation and non-ASCII (U+FF21 and U+10400 order differently in UTF-16). */
    private static final List<String> ENDINGS = List.of("b", "B", "a", "A", "_", "-", ":", "@", "z9", "\u00e9",
            "\uFF21", new String(Character.toChars(0x10400)));

    /** Unsigned UTF-8 bytes: the stated order of names, computed independently of the store's own comparators. */
    private static final Comparator<String> UTF8_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    static Stream<String> listings() {
        return Stream.of("sessions", "checkpoints", "workflows", "executions", "dlq items", "event jobs", "dlq jobs");
    }

    /** One listing, restricted to a namespace of its own. */
    private abstract static class Listing<T> {

        private final String base = uniqueId("p");

        /** An id of this listing's namespace. */
        String id(String ending) {
            return base + "-" + ending;
        }

        /** Stores an item with sort time {@code at} (ignored by listings ordered by name) and id {@code id}. */
        abstract void add(Instant at, String id);

        abstract Page<T> page(PageRequest request);

        /** The unpaged listing. */
        abstract List<T> whole();

        abstract String idOf(T item);

        /** The sort time, or {@code null} for listings ordered by name only. */
        abstract Instant timeOf(T item);

        /** A cursor of the same listing that belongs to another scope, or {@code null} if the listing has none. */
        String cursorOfAnotherScope() {
            return null;
        }

        Comparator<T> statedOrder() {
            return Comparator.comparing(this::timeOf, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                    .thenComparing(this::idOf, UTF8_BYTES);
        }
    }

    private Listing<?> listing(String name) {
        return switch (name) {
            case "sessions" -> sessions();
            case "checkpoints" -> checkpoints(CheckpointScope.job(newJob()));
            case "workflows" -> workflows();
            case "executions" -> executions(newWorkflow());
            case "dlq items" -> dlqItems(newJob());
            case "event jobs" -> eventJobs();
            case "dlq jobs" -> dlqJobs();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private Listing<PersistedSession> sessions() {
        String worktree = uniqueId("wt");
        SessionFilter filter = SessionFilter.ALL.withWorktreeName(worktree);
        return new Listing<>() {
            void add(Instant at, String id) {
                storage().sessions().save(PersistedSession.create(id, at).withWorktreeName(worktree));
            }
            Page<PersistedSession> page(PageRequest request) {
                return storage().sessions().list(filter, request);
            }
            List<PersistedSession> whole() {
                return storage().sessions().list(filter);
            }
            String idOf(PersistedSession s) {
                return s.id();
            }
            Instant timeOf(PersistedSession s) {
                return s.startedAt();
            }
        };
    }

    private Listing<CheckpointInfo> checkpoints(CheckpointScope scope) {
        CheckpointFilter filter = CheckpointFilter.forScope(scope);
        return new Listing<>() {
            void add(Instant at, String id) {
                storage().checkpoints().save(Checkpoint.job(id, scope.job(), CheckpointKind.MAP, 1, at, 0,
                        Json.nodes().objectNode().put("id", id)));
            }
            Page<CheckpointInfo> page(PageRequest request) {
                return storage().checkpoints().list(filter, request);
            }
            List<CheckpointInfo> whole() {
                return storage().checkpoints().list(filter);
            }
            String idOf(CheckpointInfo c) {
                return c.id();
            }
            Instant timeOf(CheckpointInfo c) {
                return c.createdAt();
            }
        };
    }

    private Listing<WorkflowInfo> workflows() {
        String tag = uniqueId("tag");
        WorkflowFilter filter = WorkflowFilter.ALL.withTag(tag);
        return new Listing<>() {
            void add(Instant at, String id) {
                storage().workflows().save(new WorkflowDefinition(id, "paged", "1", at, null, null,
                        new WorkflowMetadata(null, List.of(tag), null, Map.of()), 0));
            }
            Page<WorkflowInfo> page(PageRequest request) {
                return storage().workflows().list(filter, request);
            }
            List<WorkflowInfo> whole() {
                return storage().workflows().list(filter);
            }
            String idOf(WorkflowInfo w) {
                return w.id();
            }
            Instant timeOf(WorkflowInfo w) {
                return w.createdAt();
            }
        };
    }

    private String newWorkflow() {
        return storage().workflows().save(new WorkflowDefinition(uniqueId("wf"), "runs", "1", at(0), null, null,
                null, 0)).id();
    }

    private Listing<WorkflowExecution> executions(String workflowId) {
        return new Listing<>() {
            void add(Instant at, String id) {
                storage().workflows().recordExecution(new WorkflowExecution(id, workflowId, at, null,
                        ExecutionStatus.RUNNING, null));
            }
            Page<WorkflowExecution> page(PageRequest request) {
                return storage().workflows().listExecutions(workflowId, request);
            }
            List<WorkflowExecution> whole() {
                return storage().workflows().listExecutions(workflowId, 0);
            }
            String idOf(WorkflowExecution e) {
                return e.id();
            }
            Instant timeOf(WorkflowExecution e) {
                return e.startedAt();
            }
            @Override
            String cursorOfAnotherScope() {
                return cursorOf(executions(newWorkflow()));
            }
        };
    }

    private Listing<DlqItem> dlqItems(JobRef job) {
        DlqFilter filter = DlqFilter.forJob(job);
        return new Listing<>() {
            void add(Instant at, String id) {
                storage().dlq().add(job, DlqFailure.of(id, Json.nodes().objectNode().put("id", id), "boom")
                        .withAt(at));
            }
            Page<DlqItem> page(PageRequest request) {
                return storage().dlq().list(filter, request);
            }
            List<DlqItem> whole() {
                return storage().dlq().list(filter);
            }
            String idOf(DlqItem i) {
                return i.itemId();
            }
            Instant timeOf(DlqItem i) {
                return i.enqueuedAt();
            }
            @Override
            String cursorOfAnotherScope() {
                return cursorOf(dlqItems(newJob()));
            }
        };
    }

    private abstract static class JobListing extends Listing<JobRef> {

        final String repository = newRepository();

        String idOf(JobRef job) {
            return job.jobId();
        }

        Instant timeOf(JobRef job) {
            return null;
        }
    }

    private Listing<JobRef> eventJobs() {
        return new JobListing() {
            void add(Instant at, String id) {
                storage().events().append(JobRef.of(repository, id), List.of(NewEvent.of("paged", null)));
            }
            Page<JobRef> page(PageRequest request) {
                return storage().events().listJobs(repository, request);
            }
            List<JobRef> whole() {
                return storage().events().listJobs(repository);
            }
        };
    }

    private Listing<JobRef> dlqJobs() {
        return new JobListing() {
            void add(Instant at, String id) {
                storage().dlq().add(JobRef.of(repository, id), DlqFailure.of("item", null, "boom"));
            }
            Page<JobRef> page(PageRequest request) {
                return storage().dlq().listJobs(repository, request);
            }
            List<JobRef> whole() {
                return storage().dlq().listJobs(repository);
            }
        };
    }

    /** Walks the listing with pages of {@code limit}, checking each page's size. */
    private static <T> List<T> walk(Listing<T> listing, int limit) {
        List<T> out = new ArrayList<>();
        PageRequest request = PageRequest.first(limit);
        for (int pages = 0; request != null; pages++) {
            assertThat(pages).as("pages walked with limit %d (a cursor that never ends?)", limit).isLessThan(1_000);
            Page<T> page = listing.page(request);
            assertThat(page.items().size()).as("items on a page of limit %d", limit).isLessThanOrEqualTo(limit);
            out.addAll(page.items());
            request = page.next().map(request::withCursor).orElse(null);
        }
        return out;
    }

    private static <T> List<String> ids(Listing<T> listing, List<T> items) {
        return items.stream().map(listing::idOf).toList();
    }

    /** A cursor in the middle of a listing of two items. */
    private static <T> String cursorOf(Listing<T> listing) {
        listing.add(at(1), listing.id("one"));
        listing.add(at(2), listing.id("two"));
        return listing.page(PageRequest.first(1)).next().orElseThrow(
                () -> new AssertionError("a page of 1 of a listing of 2 items has no next cursor"));
    }

    private static <T> List<String> expectedIds(Listing<T> listing, List<T> items) {
        return ids(listing, items.stream().sorted(listing.statedOrder()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void walkingWithPagesOfOneTwoAndSevenReturnsTheWholeListingOnceInTheStatedOrder(String name) {
        Listing<?> listing = listing(name);
        checkWalks(listing);
    }

    private <T> void checkWalks(Listing<T> listing) {
        for (int i = 0; i < ENDINGS.size(); i++) {
            listing.add(at((i % 4) * 1_000L), listing.id(ENDINGS.get(i))); // times out of order, with ties
        }
        List<T> whole = listing.whole();
        assertThat(whole).as("the unpaged listing").hasSize(ENDINGS.size());
        List<String> expected = expectedIds(listing, whole);
        assertThat(ids(listing, whole)).as("the unpaged listing, in the stated order").isEqualTo(expected);
        for (int limit : new int[] {1, 2, 7}) {
            assertThat(ids(listing, walk(listing, limit))).as("walked with pages of %d", limit).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void idsThatDifferInCasePunctuationOrNonAsciiOrderByUtf8Bytes(String name) {
        Listing<?> listing = listing(name);
        checkByteOrder(listing);
    }

    private <T> void checkByteOrder(Listing<T> listing) {
        List<String> expected = new ArrayList<>();
        for (String ending : ENDINGS) {
            listing.add(at(5_000), listing.id(ending)); // one time: only the ids order them
            expected.add(listing.id(ending));
        }
        expected.sort(UTF8_BYTES);
        assertThat(ids(listing, listing.whole())).as("unpaged, by UTF-8 bytes").isEqualTo(expected);
        assertThat(ids(listing, walk(listing, 5))).as("paged, by UTF-8 bytes").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void itemsAddedDuringAWalkAfterItsPositionAppearOnceAndItemsBeforeItNever(String name) {
        Listing<?> listing = listing(name);
        checkConcurrentInserts(listing);
    }

    private <T> void checkConcurrentInserts(Listing<T> listing) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            listing.add(at(1_000L + (i / 2) * 10L), listing.id("m" + i)); // pairs with equal times
            expected.add(listing.id("m" + i));
        }
        List<String> walked = new ArrayList<>();
        PageRequest request = PageRequest.first(2);
        for (int k = 0; request != null; k++) {
            assertThat(k).as("pages walked").isLessThan(100);
            Page<T> page = listing.page(request);
            walked.addAll(ids(listing, page.items()));
            if (k < 4) {
                listing.add(at(100_000L + k), listing.id("z" + k)); // after everything listed so far
                expected.add(listing.id("z" + k));
                listing.add(at(-100_000L - k), listing.id("a" + k)); // before the walk's position
            }
            request = page.next().map(request::withCursor).orElse(null);
        }
        Set<String> seen = new HashSet<>();
        assertThat(walked.stream().filter(id -> !seen.add(id)).toList()).as("ids returned twice").isEmpty();
        assertThat(walked).as("the items before the walk, then the ones added after its position").isEqualTo(
                expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void anAlteredMadeUpOrForeignCursorIsInvalidInput(String name) {
        Listing<?> listing = listing(name);
        checkBadCursors(listing, name);
    }

    private <T> void checkBadCursors(Listing<T> listing, String name) {
        String cursor = cursorOf(listing);
        int middle = cursor.length() / 2;
        char replacement = cursor.charAt(middle) == 'A' ? 'B' : 'A';
        String altered = cursor.substring(0, middle) + replacement + cursor.substring(middle + 1);
        assertInvalidInput(() -> listing.page(PageRequest.after(altered, 1)), name + " with an altered cursor");
        assertInvalidInput(() -> listing.page(PageRequest.after(cursor.substring(0, middle), 1)),
                name + " with a truncated cursor");
        assertInvalidInput(() -> listing.page(PageRequest.after("not-a-cursor", 1)), name + " with a made-up cursor");
        assertInvalidInput(() -> listing.page(null), name + " without a page request");
        String foreign = name.equals("sessions") ? cursorOf(workflows()) : cursorOf(sessions());
        assertInvalidInput(() -> listing.page(PageRequest.after(foreign, 1)), name + " with another listing's cursor");
        String otherScope = listing.cursorOfAnotherScope();
        if (otherScope != null) {
            assertInvalidInput(() -> listing.page(PageRequest.after(otherScope, 1)),
                    name + " with the cursor of another workflow or job");
        }
        assertThat(ids(listing, listing.page(PageRequest.after(cursor, 1)).items()))
                .as("the genuine cursor still works").containsExactly(listing.id("two"));
    }

    @Test
    void checkpointsOfOneRepositoryWithEqualTimesAndIdsAreOrderedByJobAcrossPages() {
        String repository = newRepository();
        JobRef first = JobRef.of(repository, "job-a");
        JobRef second = JobRef.of(repository, "job-b");
        for (JobRef job : List.of(second, first)) {
            for (String id : List.of("y", "x")) {
                storage().checkpoints().save(Checkpoint.job(id, job, CheckpointKind.SETUP, 1, at(7_000), 0,
                        Json.nodes().objectNode()));
            }
        }
        CheckpointFilter filter = new CheckpointFilter(null, repository, null, null, null, 0);
        Function<CheckpointInfo, String> where = c -> c.id() + "@" + c.scope().job().jobId();
        List<String> expected = List.of("x@job-a", "x@job-b", "y@job-a", "y@job-b");

        assertThat(storage().checkpoints().list(filter)).extracting(where).isEqualTo(expected);
        List<String> walked = new ArrayList<>();
        PageRequest request = PageRequest.first(1);
        while (request != null) {
            Page<CheckpointInfo> page = storage().checkpoints().list(filter, request);
            page.items().forEach(c -> walked.add(where.apply(c)));
            request = page.next().map(request::withCursor).orElse(null);
        }
        assertThat(walked).as("walked one by one: createdAt, then id, then job").isEqualTo(expected);
    }

    @Test
    void theFilterLimitBoundsTheUnpagedListingAcrossPages() {
        Listing<PersistedSession> listing = sessions();
        for (int i = 0; i < 5; i++) {
            listing.add(at(i), listing.id("s" + i));
        }
        String worktree = listing.whole().get(0).worktreeName();
        assertThat(storage().sessions().list(SessionFilter.ALL.withWorktreeName(worktree).withLimit(3)))
                .extracting(PersistedSession::id)
                .containsExactly(listing.id("s0"), listing.id("s1"), listing.id("s2"));
    }
}
