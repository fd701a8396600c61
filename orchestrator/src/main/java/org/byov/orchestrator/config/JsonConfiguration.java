package org.byov.orchestrator.config;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Makes the API's JSON strict beyond what application.yml can set: a number or boolean where a
 * string is expected ({@code "modelName": 5}) is a wrong type, not text to coerce.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

  @Bean
  JsonMapperBuilderCustomizer strictTextual() {
    return builder ->
        builder.withCoercionConfig(
            LogicalType.Textual,
            config ->
                config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}
