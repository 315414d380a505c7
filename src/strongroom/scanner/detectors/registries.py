"""Package registries and container registries."""

from __future__ import annotations

from strongroom.scanner.checksums import verify_basic_auth, verify_github_token
from strongroom.scanner.rule import Rule, keyed, token

F = "package-registries"

RULES: tuple[Rule, ...] = (
    token("npm-access-token", "npm access token", F, r"npm_[A-Za-z0-9]{36}", validator=verify_github_token),
    token("npmrc-auth-token", "npm/yarn registry auth token in .npmrc", F,
          r"//[a-z0-9.\-/]+:_authToken=[A-Za-z0-9_\-.]{20,}", keywords=("_authtoken",), end=""),
    token("pypi-upload-token", "PyPI upload token", F, r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
    token("pypi-test-upload-token", "TestPyPI upload token", F, r"pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{50,}"),
    token("rubygems-api-token", "RubyGems API token", F, r"rubygems_[a-f0-9]{48}"),
    token("nuget-api-key", "NuGet API key", F, r"oy2[a-z0-9]{43}", entropy=3.0),
    token("dockerhub-pat", "Docker Hub personal access token", F, r"dckr_pat_[A-Za-z0-9_\-]{27}"),
    token("dockerhub-org-token", "Docker Hub organisation access token", F, r"dckr_oat_[A-Za-z0-9_\-]{32}"),
    Rule("docker-config-auth", "Docker config.json registry credentials", F,
         r"\"auth\"\s*:\s*\"([A-Za-z0-9+/]{12,}={0,2})\"", keywords=("\"auth\"",), validator=verify_basic_auth,
         value=r"[A-Za-z0-9+/]{12,}", template='{{"auths": {{"registry.internal.net": {{"auth": "{}"}}}}}}'),
    token("clojars-api-token", "Clojars deploy token", F, r"CLOJARS_[a-z0-9]{60}"),
    token("crates-io-api-token", "crates.io API token", F, r"cio[a-zA-Z0-9]{32}", entropy=3.5),
    keyed("packagist-token", "Private Packagist token", F, ("packagist",), r"packagist_[ou][ru]t_[a-f0-9]{68}"),
    token("artifactory-api-key-header", "Artifactory API key header", F, r"X-JFrog-Art-Api:\s*[A-Za-z0-9]{73}",
          keywords=("x-jfrog-art-api",), end=""),
    keyed("pub-dev-token", "pub.dev / Dart credentials refresh token", F, ("pub_token", "pub_credentials"),
          r"1//[A-Za-z0-9_\-]{40,100}"),
    keyed("hex-pm-api-key", "Hex.pm API key", F, ("hex_api_key", "hexpm"), r"[a-f0-9]{32}"),
    Rule("maven-repository-password", "Maven settings.xml server password", F,
         r"<password>([^<\s${}]{8,64})</password>", keywords=("<password>",), entropy=3.0,
         value=r"[A-Za-z0-9!#%^&*]{12,24}", template="<server><password>{}</password></server>"),
)
