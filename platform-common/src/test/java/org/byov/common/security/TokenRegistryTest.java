package org.byov.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

  @Test
  void tokenListAndEntriesAuthenticate() {
    ByovSecurityProperties properties = new ByovSecurityProperties();
    properties.setTokenList("alice:alice-token-1:runs+inference, worker:worker-token-1:worker");
    ByovSecurityProperties.TokenEntry admin = new ByovSecurityProperties.TokenEntry();
    admin.setName("root");
    admin.setToken("admin-token-1");
    admin.setRoles(List.of("ADMIN"));
    properties.setTokens(List.of(admin));

    TokenRegistry registry = TokenRegistry.from(properties);

    assertThat(registry.size()).isEqualTo(3);
    assertThat(registry.authenticate("alice-token-1")).contains(new Caller("alice", Set.of(Role.RUNS, Role.INFERENCE)));
    assertThat(registry.authenticate("worker-token-1").orElseThrow().roles()).containsExactly(Role.WORKER);
    assertThat(registry.authenticate("admin-token-1").orElseThrow().may(Role.RUNS)).isTrue();
    assertThat(registry.authenticate("alice-token-2")).isEmpty();
    assertThat(registry.authenticate("")).isEmpty();
  }

  @Test
  void metricsRoleParses() {
    ByovSecurityProperties properties = new ByovSecurityProperties();
    properties.setTokenList("prometheus:prometheus-token-1:metrics");

    Caller caller = TokenRegistry.from(properties).authenticate("prometheus-token-1").orElseThrow();

    assertThat(caller.roles()).containsExactly(Role.METRICS);
    assertThat(caller.may(Role.RUNS)).isFalse();
    assertThat(caller.may(Role.INFERENCE)).isFalse();
    assertThat(caller.may(Role.WORKER)).isFalse();
  }

  @Test
  void misconfigurationNamesCallerButNotToken() {
    ByovSecurityProperties duplicate = new ByovSecurityProperties();
    duplicate.setTokenList("a:same-token-1:runs,b:same-token-1:worker");
    assertThatThrownBy(() -> TokenRegistry.from(duplicate))
        .hasMessageContaining("'b'")
        .hasMessageNotContaining("same-token-1");

    ByovSecurityProperties unknownRole = new ByovSecurityProperties();
    unknownRole.setTokenList("a:token-123456:superuser");
    assertThatThrownBy(() -> TokenRegistry.from(unknownRole))
        .hasMessageContaining("superuser")
        .hasMessageContaining("metrics");

    ByovSecurityProperties malformed = new ByovSecurityProperties();
    malformed.setTokenList("a-secret-without-colons");
    assertThatThrownBy(() -> TokenRegistry.from(malformed))
        .hasMessageContaining("entry 1")
        .hasMessageNotContaining("a-secret-without-colons");
  }
}
