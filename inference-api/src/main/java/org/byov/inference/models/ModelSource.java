package org.byov.inference.models;

import java.nio.file.Path;

/**
 * A model version to load: its directory and the registry's description of it.
 *
 * @param info name, version, artifact URI and abstain threshold
 * @param directory the model directory
 * @param contract the registry's input contract, or null to use the one in the directory
 * @param probeFile a linear probe file (JSON written by {@code LinearProbe.save}) to use as the
 *     prediction head when the directory has none; null when there is none
 */
public record ModelSource(ModelVersionInfo info, Path directory, InputContract contract,
    Path probeFile) {}
