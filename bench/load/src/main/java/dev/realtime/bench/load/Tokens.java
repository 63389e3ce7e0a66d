package dev.realtime.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Signs RS256 tokens as API.md describes them (issuer, sub, exp, groups, orgId) with a PKCS#8 PEM key. */
final class Tokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String issuer;

    Tokens(Path pem, String issuer) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        this.issuer = issuer;
    }

    /** A subscriber of {@code orgId}, valid for two hours. */
    String subscriber(String sub, String orgId) {
        return sign("{\"sub\":\"" + sub + "\",\"orgId\":\"" + orgId + "\",\"groups\":[]");
    }

    /** A publisher and admin (publish to any org, read metrics), valid for two hours. */
    String publisher() {
        return sign("{\"sub\":\"bench-publisher\",\"groups\":[\"realtime-publisher\",\"realtime-admin\"]");
    }

    private String sign(String claimsPrefix) {
        long now = System.currentTimeMillis() / 1000;
        String claims = claimsPrefix + ",\"iss\":\"" + issuer + "\",\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}";
        String signingInput = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
