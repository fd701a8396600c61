package org.byov.orchestrator.dispatch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.byov.orchestrator.tasks.TaskQueue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns on Kubernetes dispatch when {@code byov.dispatch.mode=kubernetes}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "byov.dispatch.mode", havingValue = "kubernetes")
public class KubernetesDispatchConfiguration {

  /** Creates the client from the pod's service account, or from ~/.kube/config outside a cluster. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  @Bean
  KubernetesDispatcher kubernetesDispatcher(
      KubernetesClient client, TaskQueue queue, DispatchProperties properties) {
    return new KubernetesDispatcher(client, queue, properties.kubernetes());
  }
}
