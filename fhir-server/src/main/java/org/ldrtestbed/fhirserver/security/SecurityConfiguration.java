package org.ldrtestbed.fhirserver.security;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import org.ldrtestbed.fhirserver.audit.AuthenticationFailures;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.contract.Roles;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every FHIR request carries its actor's bearer token; the capability statement, the SMART configuration and the
 * embedded identity provider's endpoints are open, as they are on a real SMART server. What a token's SMART scopes
 * permit is checked by {@link SmartScopeInterceptor}. Running the testbed ({@code /testbed/**}) needs the
 * {@value #ADMIN_ROLE} role; a system client ({@code system} role) may also read the prompts runs put for it, and
 * poll its organisation's MESH mailbox ({@code /mesh/**}). Browser apps on other origins may call the FHIR API and the
 * embedded identity provider ({@link CorsPolicy}, {@code testbed.security.cors-origins}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    /** Realm role that may run the testbed itself: flow switches, message log, dead-letter replay. */
    public static final String ADMIN_ROLE = Roles.ADMIN;

    /** Realm role that receives emergency-access alerts about its organisation's staff. */
    public static final String PRIVACY_OFFICER_ROLE = Roles.PRIVACY_OFFICER;

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http, FhirContext fhirContext, AuditTrail trail, Clock clock, SecurityProperties properties)
            throws Exception {
        // A request refused its token is on the server's clock: no token, no trusted journey time.
        OperationOutcomeResponses refusals =
                new OperationOutcomeResponses(fhirContext, new AuthenticationFailures(trail, clock));
        // No CSRF protection is needed: nothing is authorised by a cookie or session, only by an explicit token.
        http.csrf(AbstractHttpConfigurer::disable)
                // Before authentication: a preflight carries no token and is answered here.
                .cors(cors -> cors.configurationSource(CorsPolicy.source(properties.corsOrigins())))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.requestMatchers(
                                "/realms/**", "/fhir/metadata", SmartConfigurationServlet.PATH, "/error")
                        .permitAll()
                        // A supplier's system reads the prompts addressed to it with its own client's token.
                        .requestMatchers(HttpMethod.GET, "/testbed/prompts")
                        .hasAnyRole(ADMIN_ROLE, Roles.SYSTEM)
                        .requestMatchers("/testbed/**")
                        .hasRole(ADMIN_ROLE)
                        // A receiving system polls its MESH mailbox; which mailbox is its own, the controller decides.
                        .requestMatchers("/mesh/**")
                        .hasRole(Roles.SYSTEM)
                        .requestMatchers("/privacy/**")
                        .hasAnyRole(PRIVACY_OFFICER_ROLE, ADMIN_ROLE)
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> jwt.jwtAuthenticationConverter(rolesAsAuthorities()))
                        .authenticationEntryPoint(refusals)
                        .accessDeniedHandler(refusals))
                .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals));
        return http.build();
    }

    /** The realm roles in the token's {@code roles} claim become Spring authorities {@code ROLE_<role>}. */
    private static JwtAuthenticationConverter rolesAsAuthorities() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(ActorIdentity.CLAIM_ROLES);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }
}
