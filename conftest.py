"""The suite's shared fixtures (actors, clients, the browser) for every test folder.

Feature tests live next to their app (accounts/tests/, raci/tests/, ...); the
cross-cutting suites and the shared base stay in tests/.
"""

pytest_plugins = ["tests.fixtures", "tests.smtp", "tests.oidc", "tests.ldap_server"]
