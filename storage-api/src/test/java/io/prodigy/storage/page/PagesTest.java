package io.prodigy.storage.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagesTest {

    private static final Keyset<String> NAMES = Keyset.of("name", PageKey::ofNames);
    private static final List<String> ITEMS = IntStream.range(0, 2_500).mapToObj(i -> String.format("n%05d", i))
            .toList();

    private final List<PageRequest> requests = new ArrayList<>();
    private final Function<PageRequest, Page<String>> fetcher = page -> {
        requests.add(page);
        return NAMES.page(ITEMS, page);
    };

    @Test
    void streamFetchesAPageOnlyWhenItIsReached() {
        assertThat(Pages.stream(10, fetcher).limit(15).toList()).containsExactlyElementsOf(ITEMS.subList(0, 15));
        assertThat(requests).hasSize(2);
    }

    @Test
    void allWalksEveryPageWithTheLargestSize() {
        assertThat(Pages.all(0, fetcher)).containsExactlyElementsOf(ITEMS);
        assertThat(requests).extracting(PageRequest::limit).containsExactly(1000, 1000, 1000);
    }

    @Test
    void allWithAMaximumAsksForNoMoreThanNeeded() {
        assertThat(Pages.all(1_200, fetcher)).containsExactlyElementsOf(ITEMS.subList(0, 1_200));
        assertThat(requests).extracting(PageRequest::limit).containsExactly(1000, 200);
        assertThatThrownBy(() -> Pages.all(-1, fetcher)).isInstanceOf(InvalidInputException.class);
    }
}
