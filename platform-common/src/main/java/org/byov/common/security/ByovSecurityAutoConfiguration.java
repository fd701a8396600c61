package org.byov.common.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provides the bearer-token pieces every BYOV service shares. Its {@link
 * BearerTokenAuthenticationProvider} bean also keeps Spring Boot from creating a default user with
 * a generated password.
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HttpSecurity.class)
@EnableConfigurationProperties(ByovSecurityProperties.class)
public class ByovSecurityAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ByovSecurityAutoConfiguration.class);

  @Bean
  TokenRegistry byovTokenRegistry(ByovSecurityProperties properties) {
    TokenRegistry registry = TokenRegistry.from(properties);
    if (!properties.isEnabled()) {
      log.warn("byov.security.enabled=false: every request runs as caller 'local' with every role");
    } else if (registry.size() == 0) {
      log.warn("No bearer tokens are configured (byov.security.tokens or token-list): every"
          + " protected route answers 401");
    } else {
      log.info("Bearer-token security is on with {} configured tokens", registry.size());
    }
    return registry;
  }

  @Bean
  BearerTokenAuthenticationProvider byovBearerTokenAuthenticationProvider(TokenRegistry registry) {
    return new BearerTokenAuthenticationProvider(registry);
  }

  @Bean
  ProblemSecurityHandlers byovProblemSecurityHandlers(JsonMapper mapper) {
    return new ProblemSecurityHandlers(mapper);
  }

  @Bean
  ByovHttpSecurity byovHttpSecurity(
      ByovSecurityProperties properties,
      BearerTokenAuthenticationProvider provider,
      ProblemSecurityHandlers handlers) {
    AuthenticationManager manager = new ProviderManager(provider);
    return new ByovHttpSecurity(properties, manager, handlers);
  }
}
