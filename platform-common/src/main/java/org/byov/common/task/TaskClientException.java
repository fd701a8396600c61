package org.byov.common.task;

/**
 * A task-protocol call failed for good: the orchestrator rejected the request (a 4xx other than
 * 409, such as 400 for an invalid body or 401/403 for a bad token), or retries ran out.
 */
public class TaskClientException extends RuntimeException {

  private final int status;

  public TaskClientException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status of the last reply, or 0 when no reply arrived. */
  public int status() {
    return status;
  }
}
