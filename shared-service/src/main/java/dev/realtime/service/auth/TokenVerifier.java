package dev.realtime.service.auth;

import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Turns an {@code Authorization} header into a {@link Subject}, or refuses it with the API's 401 codes.
 *
 * <p>Verification (signature, algorithm, issuer, expiry) is SmallRye JWT's, configured by the {@code mp.jwt.*}
 * keys; unsigned ({@code alg=none}) tokens and foreign keys fail it. A long-poll client presents the same token
 * on every poll and an RS256 verification costs several times a whole long-poll exchange, so verified tokens
 * are remembered: keyed by the exact token string, never past the token's own {@code exp}, bounded in number,
 * and only successes are remembered. Thread-safe.
 */
@Singleton
public class TokenVerifier {
    /** Longest accepted header; real tokens are a few hundred bytes, so this only stops abuse. */
    static final int MAX_TOKEN_LENGTH = 8_192;
    /** Most values accepted in one list claim (groups, propertyIds). */
    static final int MAX_CLAIM_VALUES = 1_000;

    private final JWTParser parser;
    private final Clock clock;
    private final int cacheSize;
    private final ConcurrentHashMap<String, Subject> verified = new ConcurrentHashMap<>();

    TokenVerifier(JWTParser parser, Clock clock, RealtimeConfig config) {
        this.parser = parser;
        this.clock = clock;
        this.cacheSize = config.auth().tokenCacheSize();
    }

    /**
     * Returns the subject of a valid bearer token.
     *
     * @param authorization the raw {@code Authorization} header, possibly null
     * @throws ProblemException {@code token_missing}, {@code token_invalid} or {@code token_expired}
     */
    public Subject verify(String authorization) {
        // The usual header ("Bearer " + token) is its own key: a hit costs no copy of the token out of it. Any
        // other spelling is keyed by the token, so variants of one token cannot fill (and flush) the cache.
        String key = authorization;
        Subject subject = authorization == null ? null : verified.get(authorization);
        if (subject == null) {
            String token = bearerToken(authorization);
            boolean canonical = authorization.length() == token.length() + 7 && authorization.startsWith("Bearer ");
            key = canonical ? authorization : token;
            subject = canonical ? null : verified.get(key);
            if (subject == null) {
                subject = parse(token);
                if (verified.size() >= cacheSize) {
                    // Dropping everything is crude but bounded and O(1) amortised; live clients re-verify once.
                    verified.clear();
                }
                verified.put(key, subject);
            }
        }
        if (clock.millis() >= subject.expiresAtMillis()) {
            verified.remove(key);
            throw new ProblemException(ProblemCode.TOKEN_EXPIRED, "The bearer token has expired.");
        }
        return subject;
    }

    /** How many verified tokens are remembered (for tests). */
    int remembered() {
        return verified.size();
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank() || authorization.trim().equalsIgnoreCase("Bearer")) {
            throw new ProblemException(ProblemCode.TOKEN_MISSING, "Send a bearer token in the Authorization header.");
        }
        if (authorization.length() > MAX_TOKEN_LENGTH) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The bearer token is too long.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "Use the Bearer authorization scheme.");
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty()) {
            throw new ProblemException(ProblemCode.TOKEN_MISSING, "The bearer token is empty.");
        }
        return token;
    }

    private Subject parse(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            if (isExpiry(e)) {
                throw new ProblemException(ProblemCode.TOKEN_EXPIRED, "The bearer token has expired.");
            }
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The bearer token could not be verified.");
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The bearer token could not be verified.");
        }
        String sub = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        if (sub == null || sub.isBlank()) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The bearer token names no subject.");
        }
        Object orgClaim = jwt.getClaim("orgId");
        String orgId = orgClaim == null ? null : stringValue(orgClaim);
        if (orgId != null && (orgId.isEmpty() || orgId.length() > 128)) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The orgId claim must be 1-128 characters.");
        }
        Set<String> groups = jwt.getGroups() == null ? Set.of() : Set.copyOf(jwt.getGroups());
        Set<String> propertyIds = stringSet(jwt.getClaim("propertyIds"));
        if (groups.size() > MAX_CLAIM_VALUES || propertyIds.size() > MAX_CLAIM_VALUES) {
            throw new ProblemException(ProblemCode.TOKEN_INVALID, "The bearer token carries too many claim values.");
        }
        return new Subject(sub, orgId, groups, propertyIds, jwt.getExpirationTime() * 1000L);
    }

    private static boolean isExpiry(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
            if (t instanceof InvalidJwtException invalid && invalid.hasErrorCode(ErrorCodes.EXPIRED)) {
                return true;
            }
        }
        return false;
    }

    private static String stringValue(Object claim) {
        if (claim instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        if (claim instanceof String s) {
            return s;
        }
        throw new ProblemException(ProblemCode.TOKEN_INVALID, "The orgId claim must be a string.");
    }

    private static Set<String> stringSet(Object claim) {
        if (claim == null) {
            return Set.of();
        }
        if (claim instanceof jakarta.json.JsonArray array) {
            Set<String> values = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof jakarta.json.JsonString s)) {
                    throw new ProblemException(ProblemCode.TOKEN_INVALID, "propertyIds must be strings.");
                }
                values.add(s.getString());
            }
            return Set.copyOf(values);
        }
        if (claim instanceof Collection<?> values) {
            Set<String> strings = new HashSet<>();
            for (Object value : values) {
                strings.add(String.valueOf(value));
            }
            return Set.copyOf(strings);
        }
        throw new ProblemException(ProblemCode.TOKEN_INVALID, "propertyIds must be an array of strings.");
    }
}
