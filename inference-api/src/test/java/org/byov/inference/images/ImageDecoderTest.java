package org.byov.inference.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.byov.inference.web.InferenceProblem;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(4_194_304);

  /** base64(1) wraps at 76 columns by default, so the problem names the line breaks. */
  @Test
  void wrappedBase64NamesLineBreaks() {
    String wrapped = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UBGAAAAABJ"
        + "\nRU5ErkJggg==";

    assertThatThrownBy(() -> decoder.decode(wrapped, "images[0].data"))
        .isInstanceOfSatisfying(InferenceProblem.class, problem -> {
          assertThat(problem.field()).isEqualTo("images[0].data");
          assertThat(problem.getMessage()).contains("line breaks").contains("base64 -w0");
        });
  }

  @Test
  void unwrappedInvalidBase64HasNoLineBreakHint() {
    assertThatThrownBy(() -> decoder.decode("not*base64", "images[0].data"))
        .isInstanceOfSatisfying(InferenceProblem.class, problem ->
            assertThat(problem.getMessage()).contains("Invalid base64")
                .doesNotContain("line breaks"));
  }
}
