package org.byov.common.problem;

/** One invalid field of a request: its JSON path (for example {@code optimizer.lr}) and why. */
public record FieldProblem(String field, String message) {}
