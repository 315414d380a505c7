"""CI/CD, build and code quality services."""

from __future__ import annotations

from strongroom.scanner.rule import ALNUM, B64URL, HEX32, HEX40, UUID, Rule, keyed, token

F = "ci-cd"

RULES: tuple[Rule, ...] = (
    token("circleci-pat", "CircleCI personal API token", F, r"CCIPAT_[A-Za-z0-9]{22}_" + HEX40),
    token("circleci-project-token", "CircleCI project API token", F, r"CCIPRJ_[A-Za-z0-9]{22}_" + HEX40),
    keyed("travisci-token", "Travis CI access token", F, ("travis",), B64URL + "{22}"),
    token("buildkite-agent-token", "Buildkite user access token", F, r"bkua_" + HEX40),
    keyed("drone-ci-token", "Drone CI access token", F, ("drone",), r"[A-Za-z0-9]{32}"),
    keyed("codecov-token", "Codecov upload token", F, ("codecov",), UUID),
    keyed("snyk-token", "Snyk API token", F, ("snyk",), UUID),
    token("sonarqube-user-token", "SonarQube user token", F, r"squ_" + HEX40),
    token("sonarqube-project-token", "SonarQube project analysis token", F, r"sqp_" + HEX40),
    token("sonarqube-global-token", "SonarQube global analysis token", F, r"sqa_" + HEX40),
    token("octopus-deploy-api-key", "Octopus Deploy API key", F, r"API-[A-Z0-9]{26}", entropy=3.0),
    token("harness-pat", "Harness personal access token", F,
          r"(?:pat|sat)\.[a-zA-Z0-9_\-]{22}\.[a-fA-F0-9]{24}\.[a-zA-Z0-9]{20}", keywords=("pat.", "sat.")),
    token("prefect-api-key", "Prefect API key", F, r"pnu_[a-zA-Z0-9]{36}"),
    token("jfrog-api-key", "JFrog Artifactory API key", F, r"AKCp[A-Za-z0-9]{69}"),
    token("jfrog-identity-token", "JFrog identity/reference token", F, r"cmVmdGtuOjAxOj[A-Za-z0-9]{50,60}",
          keywords=("cmvmdgtuojaxoj",)),
    keyed("jenkins-api-token", "Jenkins API token", F, ("jenkins",), r"11[a-f0-9]{32}"),
    keyed("teamcity-token", "TeamCity access token", F, ("teamcity",),
          r"eyJ0eXAiOiAiVENWMiJ9\.[A-Za-z0-9_\-]{36}\.[A-Za-z0-9_\-]{48}"),
    keyed("bitrise-token", "Bitrise personal access token", F, ("bitrise",), B64URL + "{86}"),
    keyed("appveyor-token", "AppVeyor API token", F, ("appveyor",), r"v2\.[a-z0-9]{20}"),
    keyed("coveralls-repo-token", "Coveralls repository token", F, ("coveralls",), ALNUM + "{32,37}"),
    token("scalingo-api-token", "Scalingo API token", F, r"tk-us-[\w\-]{48}"),
    keyed("codacy-token", "Codacy API token", F, ("codacy",), HEX32),
    token("deno-deploy-token", "Deno Deploy access token", F, r"dd[pw]_[a-zA-Z0-9]{36}"),
    token("semaphore-ci-token", "Semaphore CI API token", F, r"sem_[A-Za-z0-9]{40}"),
)
