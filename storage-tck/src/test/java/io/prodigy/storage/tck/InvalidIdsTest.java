package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.id.Ids;
import org.junit.jupiter.api.Test;

class InvalidIdsTest {

    @Test
    void everyListedIdIsRejectedByTheApiRules() {
        assertThat(InvalidIds.all()).hasSizeGreaterThanOrEqualTo(10).allSatisfy(args -> {
            String label = (String) args.get()[0];
            String id = (String) args.get()[1];
            assertThat(Ids.problem(id)).as("why '%s' is invalid", label).isNotNull();
        });
    }

    @Test
    void theIdsTheContractsGenerateAreValid() {
        for (int i = 0; i < 100; i++) {
            assertThat(Ids.problem(StorageContractSupport.uniqueId("session"))).isNull();
        }
        assertThat(Ids.problem("a-" + StorageContractSupport.uniqueId("s"))).isNull();
        assertThat(StorageContractSupport.uniqueId("x")).isNotEqualTo(StorageContractSupport.uniqueId("x"));
    }
}
