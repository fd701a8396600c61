package org.byov.core.checkpoint;

/** The version of byov-core recorded in manifests: the jar's Implementation-Version. */
public final class CodeVersion {

  private CodeVersion() {}

  /** Returns the jar's version, or {@code development} when running from classes. */
  public static String current() {
    String version = CodeVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
