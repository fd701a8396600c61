package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which registry models {@code byov.inference.registry.models=*} follows, and its settings. */
class FollowedModelsTest {

  @Test
  void selectTakesProductionModelsInOrder() {
    FollowedModels followed = new FollowedModels(registry(List.of("*"), 2));

    FollowedModels.Selection selection = followed.select(List.of(model("a", 1), model("b", null),
        model("c", 2), model("d", 3)), name -> false);

    assertThat(selection.added()).containsExactly("a", "c");
    assertThat(selection.skipped()).containsExactly("d");
    assertThat(selection.dropped()).isEmpty();
    assertThat(followed.names()).containsExactly("a", "c");
    assertThat(followed.contains("b")).isFalse();
  }

  @Test
  void followedModelKeepsItsPlace() {
    FollowedModels followed = new FollowedModels(registry(List.of("*"), 2));
    followed.select(List.of(model("b", 1), model("c", 1)), name -> false);

    FollowedModels.Selection selection = followed.select(List.of(model("a", 1), model("b", 2),
        model("c", 1)), name -> true);

    assertThat(selection.added()).isEmpty();
    assertThat(selection.skipped()).as("a sorts first but comes later").containsExactly("a");
    assertThat(followed.names()).containsExactly("b", "c");
  }

  /** A model that has no production version any more keeps serving if a version is loaded. */
  @Test
  void modelWithoutProductionStaysWhileLoaded() {
    FollowedModels followed = new FollowedModels(registry(List.of("*"), 16));
    followed.select(List.of(model("a", 1), model("b", 1)), name -> false);

    FollowedModels.Selection selection = followed.select(List.of(model("a", null)),
        Set.of("a")::contains);

    assertThat(selection.dropped()).containsExactly("b");
    assertThat(followed.names()).containsExactly("a");
  }

  @Test
  void namedListIsFixed() {
    FollowedModels followed = new FollowedModels(registry(List.of("fashion", "mnist"), 1));

    assertThat(followed.enabled()).isTrue();
    assertThat(followed.all()).isFalse();
    assertThat(followed.names()).as("max-models applies to * only")
        .containsExactly("fashion", "mnist");
    assertThatThrownBy(() -> followed.select(List.of(model("other", 1)), name -> false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyListTurnsRegistryOff() {
    FollowedModels followed = new FollowedModels(registry(List.of(), 16));

    assertThat(followed.enabled()).isFalse();
    assertThat(followed.names()).isEmpty();
  }

  @Test
  void starWithNamesRejected() {
    assertThatThrownBy(() -> registry(List.of("*", "fashion"), 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byov.inference.registry.models [*, fashion]")
        .hasMessageContaining("cannot be combined with names");
  }

  @Test
  void maxModelsBelowOneRejected() {
    assertThatThrownBy(() -> registry(List.of("*"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byov.inference.registry.max-models 0");
  }

  private static ModelProperties.Registry registry(List<String> models, int maxModels) {
    return new ModelProperties.Registry("http://127.0.0.1:8080", "", models, Duration.ofSeconds(30),
        Path.of("unused"), Duration.ofSeconds(10), 2, maxModels);
  }

  private static RegistryClient.RegistryModel model(String name, Integer productionVersion) {
    return new RegistryClient.RegistryModel(name, productionVersion);
  }
}
