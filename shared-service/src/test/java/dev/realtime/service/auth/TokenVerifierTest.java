package dev.realtime.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.contract.Tokens;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.util.KeyUtils;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static TokenVerifier verifier(Clock clock) throws Exception {
        try (InputStream in = TokenVerifierTest.class.getResourceAsStream("/keys/test-public.pem")) {
            JWTAuthContextInfo context = new JWTAuthContextInfo(
                    KeyUtils.decodePublicKey(new String(in.readAllBytes(), StandardCharsets.UTF_8)), Tokens.ISSUER);
            return new TokenVerifier(new DefaultJWTParser(context), clock, config(10_000));
        }
    }

    /** A RealtimeConfig answering only what the verifier reads. */
    private static RealtimeConfig config(int cacheSize) {
        RealtimeConfig.Auth auth = (RealtimeConfig.Auth) Proxy.newProxyInstance(RealtimeConfig.class.getClassLoader(),
                new Class<?>[] {RealtimeConfig.Auth.class}, (proxy, method, args) -> {
                    if (method.getName().equals("tokenCacheSize")) {
                        return cacheSize;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (RealtimeConfig) Proxy.newProxyInstance(RealtimeConfig.class.getClassLoader(),
                new Class<?>[] {RealtimeConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("auth")) {
                        return auth;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A clock tests move by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void spellingsOfOneToken_shareOneEntry_andGiveTheSameSubject() throws Exception {
        TokenVerifier verifier = verifier(Clock.systemUTC());
        String header = Tokens.subscriber("org-1");
        String token = header.substring("Bearer ".length());
        Subject subject = verifier.verify(header);
        assertThat(subject.orgId()).isEqualTo("org-1");
        assertThat(verifier.verify(header)).isSameAs(subject);
        for (String variant : new String[] {"bearer " + token, "BEARER " + token, "Bearer  " + token,
            "Bearer " + token + "   ", "Bearer " + token + " ".repeat(100)}) {
            assertThat(verifier.verify(variant).orgId()).isEqualTo("org-1");
        }
        // The usual header is its own key; every other spelling shares the token's.
        assertThat(verifier.remembered()).isEqualTo(2);
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        HandClock clock = new HandClock();
        TokenVerifier verifier = verifier(clock);
        String header = Tokens.subscriber("org-2");
        verifier.verify(header);
        clock.now = clock.now.plusSeconds(3_600);
        assertThatThrownBy(() -> verifier.verify(header)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem()).isEqualTo(ProblemCode.TOKEN_EXPIRED));
        assertThat(verifier.remembered()).isZero();
    }
}
