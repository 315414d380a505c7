// A real OpenID provider (panva/oidc-provider) on loopback for the JWT/OIDC auth tests.
//
// Serves HTTPS with the certificate the test made, signs with the private JWKS the test made (so a test can
// also sign tokens the provider's own JWKS verifies), and keeps the development login/consent pages, which
// the tests drive with an HTTP client. Prints one JSON line {"issuer": ...} once it listens.
//
// Environment: PROVIDER_PORT (0 for any), PROVIDER_TLS_CERT, PROVIDER_TLS_KEY, PROVIDER_JWKS (files),
// CLIENT_ID, CLIENT_SECRET, REDIRECT_URI.
import fs from 'node:fs';
import https from 'node:https';

import Provider from 'oidc-provider';

const env = process.env;
const GROUPS = { alice: ['admins', 'dev'], bob: ['dev'] };

const server = https.createServer({
  cert: fs.readFileSync(env.PROVIDER_TLS_CERT),
  key: fs.readFileSync(env.PROVIDER_TLS_KEY),
});

server.listen(Number(env.PROVIDER_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `https://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: env.CLIENT_ID,
      client_secret: env.CLIENT_SECRET,
      redirect_uris: [env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: JSON.parse(fs.readFileSync(env.PROVIDER_JWKS, 'utf8')),
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@example.test`, groups: GROUPS[id] || [] };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'email', 'groups'],
    // Put the scope claims into the id_token (the default keeps them for the userinfo endpoint only).
    conformIdTokenClaims: false,
    cookies: { keys: ['strongroom-test-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
