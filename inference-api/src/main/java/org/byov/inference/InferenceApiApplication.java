package org.byov.inference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the inference API. */
@SpringBootApplication
public class InferenceApiApplication {

  public static void main(String[] args) {
    configurePyTorchThreads();
    SpringApplication.run(InferenceApiApplication.class, args);
  }

  /**
   * Sets PyTorch's intra-op threads from BYOV_THREADS (default 2) unless the JVM already sets
   * {@code ai.djl.pytorch.num_threads}; DJL reads it once, when the engine starts.
   */
  static void configurePyTorchThreads() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      String threads = System.getenv().getOrDefault("BYOV_THREADS", "2");
      System.setProperty("ai.djl.pytorch.num_threads", threads);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }
}
