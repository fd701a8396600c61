package org.byov.common.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The EVAL task input on the wire: the resolved models are optional fields. */
class TaskInputJsonTest {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void resolvedModelsRoundTrip() {
    TaskInput input = new TaskInput("file:///a/runs/r/model/", null, null, null)
        .withModels(new ModelArtifact("byol-fmnist", 3, "file:///a/runs/b/model/"),
            new ModelArtifact("bbb-fmnist", 2, "file:///a/runs/c/model/"));

    String text = json.writeValueAsString(input);
    JsonNode tree = json.readTree(text);

    assertThat(json.readValue(text, TaskInput.class)).isEqualTo(input);
    assertThat(tree.at("/baselineModel/modelName").asString()).isEqualTo("byol-fmnist");
    assertThat(tree.at("/baselineModel/modelVersion").asInt()).isEqualTo(3);
    assertThat(tree.at("/alignWithModel/artifactUri").asString())
        .isEqualTo("file:///a/runs/c/model/");
    // label() is a helper, not a field of the protocol.
    assertThat(tree.get("baselineModel").has("label")).isFalse();
    assertThat(input.baselineModel().label()).isEqualTo("byol-fmnist:3");
  }

  @Test
  void legacyInputHasNoResolvedModels() {
    TaskInput input = json.readValue("""
        {"artifactUri":"file:///a/runs/r/model/","inputContract":null,"modelName":null,
         "modelVersion":null}""", TaskInput.class);

    assertThat(input.artifactUri()).isEqualTo("file:///a/runs/r/model/");
    assertThat(input.baselineModel()).isNull();
    assertThat(input.alignWithModel()).isNull();
  }
}
