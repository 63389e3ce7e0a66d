package dev.realtime.service.contract;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Real RS256 tokens for tests, signed with the test key the service trusts (or, on purpose, with others). */
public final class Tokens {
    public static final String ISSUER = "https://realtime.local";
    public static final String PUBLISHER = "realtime-publisher";
    public static final String ADMIN = "realtime-admin";

    private static final PrivateKey KEY = loadKey();

    private Tokens() {}

    private static PrivateKey loadKey() {
        try (InputStream in = Tokens.class.getResourceAsStream("/keys/test-private.pem")) {
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load keys/test-private.pem", e);
        }
    }

    /** Returns the header value for a subscriber of {@code orgId}. */
    public static String subscriber(String orgId) {
        return bearer(claims("user-" + orgId, orgId, Set.of()).sign(KEY));
    }

    /** Returns the header value for a subscriber with {@code sub} and {@code propertyIds}. */
    public static String subscriber(String sub, String orgId, List<String> propertyIds, Set<String> groups) {
        return bearer(claims(sub, orgId, groups).claim("propertyIds", propertyIds).sign(KEY));
    }

    /** Returns the header value for a publisher (no org). */
    public static String publisher() {
        return bearer(Jwt.issuer(ISSUER).subject("backend").groups(Set.of(PUBLISHER)).expiresIn(600).sign(KEY));
    }

    /** Returns the header value for an admin of {@code orgId}. */
    public static String admin(String orgId) {
        return bearer(claims("admin-" + orgId, orgId, Set.of(ADMIN)).sign(KEY));
    }

    /** Returns {@code claims} signed with the test key, as an Authorization header value. */
    public static String sign(JwtClaimsBuilder claims) {
        return bearer(claims.sign(KEY));
    }

    /** Returns a builder with issuer, subject, groups, org and a 10-minute expiry. */
    public static JwtClaimsBuilder claims(String sub, String orgId, Set<String> groups) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).subject(sub).groups(groups).expiresIn(600);
        return orgId == null ? builder : builder.claim("orgId", orgId);
    }

    /** Returns a token that expired a minute ago. */
    public static String expired(String orgId) {
        return bearer(claims("late", orgId, Set.of()).issuedAt(Instant.now().minusSeconds(600))
                .expiresAt(Instant.now().minusSeconds(60)).sign(KEY));
    }

    /** Returns a token of another issuer. */
    public static String foreignIssuer(String orgId) {
        return bearer(Jwt.issuer("https://evil.example").subject("x").claim("orgId", orgId).expiresIn(600).sign(KEY));
    }

    /** Returns a well-formed token signed by a key the service does not trust. */
    public static String foreignKey(String orgId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return bearer(claims("x", orgId, Set.of(PUBLISHER, ADMIN)).sign(pair.getPrivate()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns an unsigned ({@code alg: none}) token claiming every group. */
    public static String unsigned(String orgId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String payload = b64.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"x\",\"orgId\":\"" + orgId
                + "\",\"groups\":[\"" + PUBLISHER + "\",\"" + ADMIN + "\"],\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        return bearer(header + "." + payload + ".");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
