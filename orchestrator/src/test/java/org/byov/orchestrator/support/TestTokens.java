package org.byov.orchestrator.support;

/** Bearer tokens configured in every orchestrator test context. */
public final class TestTokens {

  public static final String ADMIN = "admin-token-0001";
  public static final String RUNS = "runs-token-0001";
  public static final String OTHER_RUNS = "runs-token-0002";
  public static final String WORKER = "worker-token-0001";
  public static final String INFERENCE = "inference-token-0001";
  public static final String METRICS = "metrics-token-0001";

  /** The token list in {@code byov.security.token-list} form. */
  public static final String LIST =
      "admin:" + ADMIN + ":admin,alice:" + RUNS + ":runs,bob:" + OTHER_RUNS + ":runs,worker:"
          + WORKER + ":worker,inference:" + INFERENCE + ":inference,prometheus:" + METRICS
          + ":metrics";

  private TestTokens() {}
}
