package org.byov.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@link CheckpointManifest}s as indented JSON with Jackson. */
public final class ManifestJson {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ManifestJson() {}

  public static String write(CheckpointManifest manifest) {
    return MAPPER.writeValueAsString(manifest);
  }

  /** Parses {@code file}; malformed JSON becomes a {@link CorruptCheckpointException}. */
  public static CheckpointManifest read(Path file) throws IOException {
    try {
      return MAPPER.readValue(file.toFile(), CheckpointManifest.class);
    } catch (JacksonException e) {
      throw new CorruptCheckpointException(
          "Manifest " + file + " is not valid JSON for this format: " + e.getOriginalMessage(), e);
    }
  }

  /** Returns the shared mapper, for callers that serialise specs or metrics the same way. */
  public static JsonMapper mapper() {
    return MAPPER;
  }
}
