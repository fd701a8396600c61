package org.byov.inference;

import org.byov.core.nn.BayesianScope;
import org.byov.inference.models.ModelLoader;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A {@link ModelLoader} that builds a random-init test model for any source, seeded by the
 * version, so that tests of the registry follower do not depend on the directory format. The
 * model carries the source's description (abstain threshold, evaluation id), but its probe is
 * random, not read from the source's probe file.
 */
@TestConfiguration
public class TestLoaderConfiguration {

  @Bean
  @Primary
  ModelLoader testModelLoader() {
    return source -> {
      var model = TestModels.model(source.info(), BayesianScope.lastK(1),
          100 + source.info().version());
      TestModels.setSigma(model, 0.05f);
      return model;
    };
  }
}
