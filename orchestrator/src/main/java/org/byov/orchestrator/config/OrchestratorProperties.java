package org.byov.orchestrator.config;

import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the task queue and of the replicas that drive runs, bound from {@code
 * byov.orchestrator.*}.
 *
 * @param leasePeriod how long a claim stays valid without a heartbeat
 * @param heartbeatInterval heartbeat period sent to workers in claim and heartbeat replies; it
 *     must be well below the lease period
 * @param maxAttempts attempts per task (a failure or an expired lease uses one up, a release not)
 * @param ownerLeasePeriod how long a replica owns a run without renewing; another replica takes the
 *     run over after it expires
 * @param maintenanceInterval period of lease expiry, owner renewal, recovery and job re-driving
 * @param replicaId this replica's owner id; empty picks a random one per start
 * @param autoLaunch whether a created run's job starts at once (and orphaned runs are launched)
 * @param jobThreads threads that execute Batch job steps; steps never block on a worker
 * @param releaseOnShutdown whether a graceful shutdown lets this replica's owner leases expire at
 *     once, so another replica takes its runs over without waiting for the owner lease period
 */
@ConfigurationProperties("byov.orchestrator")
public record OrchestratorProperties(
    @DefaultValue("30s") Duration leasePeriod,
    @DefaultValue("10s") Duration heartbeatInterval,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("30s") Duration ownerLeasePeriod,
    @DefaultValue("1s") Duration maintenanceInterval,
    @DefaultValue("") String replicaId,
    @DefaultValue("true") boolean autoLaunch,
    @DefaultValue("4") int jobThreads,
    @DefaultValue("true") boolean releaseOnShutdown) {

  public OrchestratorProperties {
    if (heartbeatInterval.compareTo(leasePeriod) >= 0) {
      throw new IllegalArgumentException(
          "byov.orchestrator.heartbeat-interval (" + heartbeatInterval
              + ") must be shorter than lease-period (" + leasePeriod + ")");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "byov.orchestrator.max-attempts must be at least 1, got " + maxAttempts);
    }
    if (jobThreads < 1) {
      throw new IllegalArgumentException(
          "byov.orchestrator.job-threads must be at least 1, got " + jobThreads);
    }
    if (replicaId == null || replicaId.isBlank()) {
      replicaId = "replica-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
