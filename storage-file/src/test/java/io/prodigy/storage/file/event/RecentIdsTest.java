package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The window's hash table against a plain map of the last {@link RecentIds#WINDOW} sequences, through many
 * evictions, with hashes crowded into few probe runs and sharing their top 50 bits (the tag the table keeps), so the
 * ring's full hash must decide.
 */
class RecentIdsTest {

    @Test
    void answersAsAMapOfTheLastWindowOfSequences() {
        Random random = new Random(17);
        for (int crowding : new int[] {0, 1, 2}) {
            RecentIds ids = new RecentIds();
            Map<Long, Long> model = new HashMap<>();
            ArrayDeque<long[]> order = new ArrayDeque<>();
            Set<Long> used = new HashSet<>();
            List<Long> added = new ArrayList<>();
            long seq = 0;
            for (int step = 0; step < 60_000; step++) {
                long hash;
                do {
                    hash = switch (crowding) {
                        case 0 -> random.nextLong(); // spread
                        case 1 -> (random.nextLong() & 0x0003_ffff_ffff_ffffL) | (3L << 60); // few homes: long runs
                        default -> (0x7a5L << 50) | random.nextInt(1 << 14) | ((long) random.nextInt(4) << 14);
                    };
                } while (!used.add(hash)); // distinct hashes: a hash collision is the writer's business
                seq += 1 + (random.nextInt(50) == 0 ? random.nextInt(3_000) : 0); // sometimes a gap (dropped events)
                ids.add(hash, seq);
                model.put(hash, seq);
                order.add(new long[] {hash, seq});
                added.add(hash);
                while (order.size() > RecentIds.WINDOW || order.peek()[1] <= seq - RecentIds.WINDOW) {
                    model.remove(order.poll()[0]);
                }
                assertThat(ids.size()).isEqualTo(model.size());
                if (step % 97 == 0 || crowding == 2 && step % 7 == 0) {
                    for (int k = 0; k < 20; k++) {
                        long probe = k % 2 == 0 ? added.get(random.nextInt(added.size())) : hash ^ (1L + k);
                        assertThat(ids.candidate(probe)).as("step %d", step).isEqualTo(model.getOrDefault(probe, 0L));
                    }
                }
            }
            ids.clear();
            assertThat(ids.candidate(added.get(added.size() - 1))).isZero();
        }
    }

    @Test
    void candidateOrAddAnswersAndAddsExactlyAsCandidateThenAdd() {
        // The writer's fused call against the two calls it replaces, on a twin window: re-sent ids (among them the
        // oldest of a full window, which the add then evicts), new ids, crowded probe runs and sequence gaps.
        Random random = new Random(23);
        for (int crowding : new int[] {0, 1, 2}) {
            RecentIds fused = new RecentIds();
            RecentIds twin = new RecentIds();
            Set<Long> used = new HashSet<>();
            List<Long> added = new ArrayList<>();
            long seq = 0;
            for (int step = 0; step < 40_000; step++) {
                long hash;
                int kind = random.nextInt(8);
                if (kind == 0 && !added.isEmpty()) {
                    hash = added.get(Math.max(0, added.size() - RecentIds.WINDOW)); // the oldest the window may hold
                } else if (kind == 1 && !added.isEmpty()) {
                    hash = added.get(random.nextInt(added.size()));
                } else {
                    do {
                        hash = switch (crowding) {
                            case 0 -> random.nextLong();
                            case 1 -> (random.nextLong() & 0x0003_ffff_ffff_ffffL) | (3L << 60);
                            default -> (0x7a5L << 50) | random.nextInt(1 << 14) | ((long) random.nextInt(4) << 14);
                        };
                    } while (!used.add(hash));
                }
                seq += 1 + (random.nextInt(50) == 0 ? random.nextInt(3_000) : 0);
                long expected = twin.candidate(hash);
                if (expected == 0) {
                    twin.add(hash, seq);
                    added.add(hash);
                }
                assertThat(fused.candidateOrAdd(hash, seq)).as("step %d", step).isEqualTo(expected);
                assertThat(fused.size()).isEqualTo(twin.size());
                if (step % 101 == 0) {
                    for (int k = 0; k < 20; k++) {
                        long probe = k % 2 == 0 ? added.get(random.nextInt(added.size())) : hash ^ (1L + k);
                        assertThat(fused.candidate(probe)).isEqualTo(twin.candidate(probe));
                    }
                }
            }
        }
    }
}
