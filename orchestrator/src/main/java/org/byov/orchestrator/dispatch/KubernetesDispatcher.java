package org.byov.orchestrator.dispatch;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.UUID;
import org.byov.common.task.TaskKind;
import org.byov.orchestrator.config.PeriodicTask;
import org.byov.orchestrator.tasks.TaskQueue;
import org.byov.orchestrator.tasks.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes dispatch, run once per maintenance pass. It reserves queued TRAIN tasks (status
 * DISPATCHED, with a raised fencing token as the Job's generation) and creates one Job per
 * reservation. It then expires the lease of any task whose Job failed, so that the lease
 * mechanism queues the task again as the next attempt and the next pass creates a new Job.
 * Kubernetes itself never retries, because every Job has backoffLimit 0.
 */
public class KubernetesDispatcher implements PeriodicTask {

  private static final Logger log = LoggerFactory.getLogger(KubernetesDispatcher.class);

  private final KubernetesClient client;
  private final TaskQueue queue;
  private final DispatchProperties.Kubernetes settings;
  private final KubernetesJobFactory jobs;

  public KubernetesDispatcher(
      KubernetesClient client, TaskQueue queue, DispatchProperties.Kubernetes settings) {
    this.client = client;
    this.queue = queue;
    this.settings = settings;
    this.jobs = new KubernetesJobFactory(settings);
  }

  @Override
  public void runOnce() {
    dispatchQueued();
    retryFailedJobs();
  }

  @Override
  public int order() {
    return 50;
  }

  private void dispatchQueued() {
    for (TaskRow task :
        queue.dispatchQueued(TaskKind.TRAIN, settings.maxDispatchPerPass(), settings.dispatchTimeout())) {
      Job job = jobs.build(task.id(), task.runId(), task.fencingToken());
      try {
        client.batch().v1().jobs().inNamespace(namespace()).resource(job).create();
        log.info(
            "Created Job {} for TRAIN task {} of run {} (attempt {})",
            job.getMetadata().getName(), task.id(), task.runId(), task.attempt());
      } catch (KubernetesClientException e) {
        // The API server refused or was unreachable: give the task back without using an attempt.
        queue.undispatch(task.id(), task.fencingToken());
        log.warn("Could not create Job {} for task {}: {}", job.getMetadata().getName(), task.id(), e.getMessage());
      }
    }
  }

  private void retryFailedJobs() {
    for (Job job :
        client.batch().v1().jobs().inNamespace(namespace())
            .withLabel(KubernetesJobFactory.MANAGED_BY, KubernetesJobFactory.MANAGER)
            .list()
            .getItems()) {
      if (!failed(job)) {
        continue;
      }
      UUID taskId = UUID.fromString(job.getMetadata().getLabels().get(KubernetesJobFactory.TASK_LABEL));
      long generation = Long.parseLong(job.getMetadata().getLabels().get(KubernetesJobFactory.GENERATION_LABEL));
      // The pod's own claim raised the token by one; either token still means this Job's claim.
      if (queue.expireNow(taskId, generation) || queue.expireNow(taskId, generation + 1)) {
        log.warn("Job {} failed; task {} will be queued again", job.getMetadata().getName(), taskId);
      }
    }
  }

  private static boolean failed(Job job) {
    if (job.getStatus() == null) {
      return false;
    }
    if (job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) {
      return true;
    }
    if (job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition condition : job.getStatus().getConditions()) {
      if ("Failed".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return true;
      }
    }
    return false;
  }

  private String namespace() {
    return settings.namespace().isBlank() ? client.getNamespace() : settings.namespace();
  }
}
