// A real OpenID provider for the single sign-on tests (tests/oidc.py starts it).
//
// oidc-provider (the certified Node implementation) with its built-in
// development login and consent pages: any password is accepted, the login
// name picks the account. Everything comes from one JSON document in the
// environment variable OIDC_TEST_CONFIG:
//   {"port": 5555, "client": {client_id, client_secret, redirect_uris, ...},
//    "accounts": {"ada": {"email": ..., "groups": [...], ...}}}
// It prints "listening <issuer>" once it serves.
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: [{
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...config.client,
  }],
  cookies: { keys: ['kamteam-tests-only-cookie-signing-key'] },
  // Like a company IdP: the code flow only with PKCE, for every client.
  pkce: { methods: ['S256'], required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'locale', 'preferred_username', 'name'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});
// Plain http on the loopback: tell koa the connection is what it seems.
provider.proxy = false;

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
