package io.prodigy.storage.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeysetTest {

    private record Item(Instant at, String id) {}

    private static final Instant T = Instant.parse("2024-05-01T10:00:00.123456Z");
    private static final Keyset<Item> ITEMS = Keyset.of("item", i -> PageKey.of(i.at(), i.id()));

    @Test
    void aCursorNamesTheKeyOfTheLastItemAndRoundTrips() {
        PageKey key = PageKey.of(T, "a\u00e9\uFF21", "scope");
        String cursor = ITEMS.cursor(key);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(ITEMS.position(PageRequest.after(cursor, 5))).contains(key);
        assertThat(ITEMS.position(PageRequest.first(5))).isEmpty();
    }

    @Test
    void nameOnlyKeysRoundTrip() {
        PageKey key = PageKey.ofNames("repo", "job");
        assertThat(ITEMS.position(PageRequest.after(ITEMS.cursor(key), 1))).contains(key);
    }

    @Test
    void walkingPagesOfEverySizeReturnsEveryItemOnceInOrder() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            items.add(new Item(T.plusMillis(i / 4), "id-" + (char) ('z' - i)));
        }
        List<Item> expected = items.stream().sorted(ITEMS.order()).toList();
        for (int size : new int[] {1, 2, 7, 23, 50}) {
            List<Item> walked = Pages.stream(size, page -> ITEMS.page(items, page)).toList();
            assertThat(walked).as("pages of %d", size).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theLastPageHasNoNextAndAFullPageBeforeTheEndHasOne() {
        List<Item> items = List.of(new Item(T, "a"), new Item(T, "b"));
        Page<Item> first = ITEMS.page(items, PageRequest.first(1));
        assertThat(first.items()).containsExactly(items.get(0));
        assertThat(first.next()).isPresent();
        Page<Item> second = ITEMS.page(items, PageRequest.after(first.next().get(), 1));
        assertThat(second.items()).containsExactly(items.get(1));
        assertThat(second.next()).isEmpty();
        assertThat(ITEMS.page(items, PageRequest.first(2)).next()).isEmpty();
    }

    @Test
    void droppedCandidatesAreReplacedByTheNextOnes() {
        List<Item> items = List.of(new Item(T, "a"), new Item(T, "b"), new Item(T, "c"), new Item(T, "d"));
        Page<String> page = ITEMS.page(items, PageRequest.first(2),
                i -> i.id().equals("b") ? Optional.empty() : Optional.of(i.id()));
        assertThat(page.items()).containsExactly("a", "c");
        assertThat(ITEMS.page(items, PageRequest.after(page.next().orElseThrow(), 2)).items())
                .containsExactly(new Item(T, "d"));
    }

    @Test
    void aCursorOfAnotherListingOrScopeIsRefused() {
        String sessions = Keyset.<Item>of("session", i -> PageKey.of(i.at(), i.id())).cursor(PageKey.of(T, "x"));
        assertThatThrownBy(() -> ITEMS.position(PageRequest.after(sessions, 1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("another listing");
        String scopeA = ITEMS.in("a").cursor(PageKey.of(T, "x"));
        assertThatThrownBy(() -> ITEMS.in("b").position(PageRequest.after(scopeA, 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ITEMS.in("a").position(PageRequest.after(scopeA, 1))).contains(PageKey.of(T, "x"));
    }

    @Test
    void everyAlteredByteOrTruncationIsRefused() {
        String cursor = ITEMS.cursor(PageKey.of(T, "some-id"));
        byte[] raw = Base64.getUrlDecoder().decode(cursor);
        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 0x01;
            String bad = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> ITEMS.position(PageRequest.after(bad, 1))).as("byte %d flipped", i)
                    .isInstanceOf(InvalidInputException.class);
        }
        for (int n = 0; n < raw.length; n++) {
            String cut = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(raw, n));
            if (!cut.isEmpty()) {
                assertThatThrownBy(() -> ITEMS.position(PageRequest.after(cut, 1))).as("cut to %d bytes", n)
                        .isInstanceOf(InvalidInputException.class);
            }
        }
        for (String junk : List.of("!!!", "not a cursor", "AAAA", "x".repeat(5000))) {
            assertThatThrownBy(() -> ITEMS.position(PageRequest.after(junk, 1))).as(junk)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("item listing");
        }
    }

    @Test
    void requestsAreValidated() {
        assertThatThrownBy(() -> PageRequest.first(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PageRequest.first(PageRequest.MAX_LIMIT + 1))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PageRequest.after(" ", 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ITEMS.position(null)).isInstanceOf(InvalidInputException.class);
        assertThat(PageRequest.after(null, 3).isFirst()).isTrue();
    }
}
