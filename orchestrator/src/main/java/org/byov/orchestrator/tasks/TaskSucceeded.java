package org.byov.orchestrator.tasks;

import org.byov.common.task.TaskResult;

/**
 * Published by {@link TaskQueue#complete} inside its transaction, after the task is marked
 * SUCCEEDED. A listener that throws rolls the completion back, so the worker's call fails and the
 * task stays RUNNING.
 *
 * @param task the task as it was before completion (status RUNNING)
 * @param result the result the worker reported
 */
public record TaskSucceeded(TaskRow task, TaskResult result) {}
